namespace Mesos.Orleans.Interfaces.V1;

// Every Mesos ID is the object {"value": "..."}; one record per kind keeps them from being mixed up.

public sealed record FrameworkId(string Value)
{
    public override string ToString() => Value;
}

public sealed record AgentId(string Value)
{
    public override string ToString() => Value;
}

public sealed record OfferId(string Value)
{
    public override string ToString() => Value;
}

public sealed record TaskId(string Value)
{
    public override string ToString() => Value;
}

public sealed record ExecutorId(string Value)
{
    public override string ToString() => Value;
}

public sealed record ContainerId(string Value)
{
    public ContainerId? Parent { get; init; }

    public override string ToString() => Value;
}

public sealed record OperationId(string Value)
{
    public override string ToString() => Value;
}
