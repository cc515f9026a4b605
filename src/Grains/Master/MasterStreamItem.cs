using Mesos.Orleans.Grains.Core;

namespace Mesos.Orleans.Grains.Master;

/// <summary>One item of a subscription's stream from <see cref="IMasterGrain"/>: first how the subscription went
/// (refused with an HTTP status and reason, or opened with its stream ID and the subscriber's ID), then one
/// framed RecordIO record each. Orleans' own serializer carries it, so records cross silos as raw bytes.</summary>
[GenerateSerializer]
[Immutable]
public sealed class MasterStreamItem
{
    [Id(0)]
    public byte[]? Record { get; init; }

    /// <summary>The HTTP status when the subscription was refused before its stream started.</summary>
    [Id(1)]
    public int? RefusalStatus { get; init; }

    [Id(2)]
    public string? RefusalMessage { get; init; }

    [Id(3)]
    public string? StreamId { get; init; }

    /// <summary>The framework's or agent's ID, when the subscription has one.</summary>
    [Id(4)]
    public string? SubscriberId { get; init; }

    /// <summary>The silo the master's activation runs on: if it is declared dead, the stream is over even though
    /// no message says so.</summary>
    [Id(5)]
    public SiloAddress? Silo { get; init; }

    /// <summary>The refusal as the HTTP answer to give, or null when the subscription was taken.</summary>
    public CallResult? Error => RefusalStatus is { } status ? new CallResult(status, RefusalMessage) : null;

    public static MasterStreamItem Refused(CallResult error) => new() { RefusalStatus = error.StatusCode, RefusalMessage = error.Message };

    public static MasterStreamItem Opened(string streamId, string? subscriberId, SiloAddress? silo) =>
        new() { StreamId = streamId, SubscriberId = subscriberId, Silo = silo };

    public static MasterStreamItem Of(byte[] record) => new() { Record = record };
}
