using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Master;

/// <summary>Who the master is and how it was started: what /flags, /version, /redirect, GET_MASTER and
/// GET_MASTERS show, read from wherever the master runs.</summary>
/// <remarks>Carried as JSON (<see cref="WireSerialization"/>), like the wire types it holds.</remarks>
[Immutable]
public sealed class MasterDescription
{
    public required string MasterId { get; init; }

    public required MasterInfo Info { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    /// <summary>The effective flags, by name.</summary>
    public required SortedDictionary<string, string> Flags { get; init; }

    public required VersionInfo Version { get; init; }

    public required GetMaster View { get; init; }

    /// <summary>The leader term (fencing token) the master acts in; null without one.</summary>
    public long? LeaderTerm { get; init; }
}
