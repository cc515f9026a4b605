using Mesos.Orleans.Interfaces.Json;
using Orleans;

namespace Mesos.Orleans.Interfaces.V1;

// Every Mesos ID is the object {"value": "..."}; one record per kind keeps them from being mixed up.

[GenerateSerializer]
public sealed record FrameworkId([property: ProtoRequired] [Id(0)] string Value)
{
    public override string ToString() => Value;
}

[GenerateSerializer]
public sealed record AgentId([property: ProtoRequired] [Id(0)] string Value)
{
    public override string ToString() => Value;
}

[GenerateSerializer]
public sealed record OfferId([property: ProtoRequired] [Id(0)] string Value)
{
    public override string ToString() => Value;
}

[GenerateSerializer]
public sealed record TaskId([property: ProtoRequired] [Id(0)] string Value)
{
    public override string ToString() => Value;
}

[GenerateSerializer]
public sealed record ExecutorId([property: ProtoRequired] [Id(0)] string Value)
{
    public override string ToString() => Value;
}

[GenerateSerializer]
public sealed record ContainerId([property: ProtoRequired] [Id(0)] string Value)
{
    [Id(1)]
    public ContainerId? Parent { get; init; }

    public override string ToString() => Value;
}

[GenerateSerializer]
public sealed record OperationId([property: ProtoRequired] [Id(0)] string Value)
{
    public override string ToString() => Value;
}
