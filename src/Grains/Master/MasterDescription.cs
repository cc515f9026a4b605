using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Master;

/// <summary>Who the master is and how it was started: what /flags, /version, /redirect, GET_MASTER and
/// GET_MASTERS show, read from wherever the master runs.</summary>
[GenerateSerializer]
[Immutable]
public sealed class MasterDescription
{
    [Id(0)]
    public required string MasterId { get; init; }

    [Id(1)]
    public required MasterInfo Info { get; init; }

    [Id(2)]
    public required DateTimeOffset StartTime { get; init; }

    /// <summary>The effective flags, by name.</summary>
    [Id(3)]
    public required SortedDictionary<string, string> Flags { get; init; }

    [Id(4)]
    public required VersionInfo Version { get; init; }

    [Id(5)]
    public required GetMaster View { get; init; }

    /// <summary>The leader term (fencing token) the master acts in; null without one.</summary>
    [Id(6)]
    public long? LeaderTerm { get; init; }
}
