using Mesos.Orleans.Interfaces.Json;

namespace Mesos.Orleans.Interfaces.V1;

// Every Mesos ID is the object {"value": "..."}; one record per kind keeps them from being mixed up.

public sealed record FrameworkId([property: ProtoRequired] string Value)
{
    public override string ToString() => Value;
}

public sealed record AgentId([property: ProtoRequired] string Value)
{
    public override string ToString() => Value;
}

public sealed record OfferId([property: ProtoRequired] string Value)
{
    public override string ToString() => Value;
}

public sealed record TaskId([property: ProtoRequired] string Value)
{
    public override string ToString() => Value;
}

public sealed record ExecutorId([property: ProtoRequired] string Value)
{
    public override string ToString() => Value;
}

public sealed record ContainerId([property: ProtoRequired] string Value)
{
    public ContainerId? Parent { get; init; }

    public override string ToString() => Value;
}

public sealed record OperationId([property: ProtoRequired] string Value)
{
    public override string ToString() => Value;
}
