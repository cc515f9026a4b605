using Mesos.Orleans.Interfaces.Json;
using System.Text.Json;
using Orleans;

namespace Mesos.Orleans.Interfaces.V1;

/// <summary>mesos.v1.TaskInfo.</summary>
[GenerateSerializer]
public sealed class TaskInfo
{
    [ProtoRequired]
    [Id(0)]
    public string? Name { get; set; }

    [ProtoRequired]
    [Id(1)]
    public TaskId? TaskId { get; set; }

    [ProtoRequired]
    [Id(2)]
    public AgentId? AgentId { get; set; }

    [Id(3)]
    public List<Resource>? Resources { get; set; }

    [Id(4)]
    public ExecutorInfo? Executor { get; set; }

    [Id(5)]
    public CommandInfo? Command { get; set; }

    // The parts below are carried to the agent unchanged; the agent interprets them.
    [Id(6)]
    public JsonElement? Container { get; set; }

    [Id(7)]
    public HealthCheck? HealthCheck { get; set; }

    [Id(8)]
    public KillPolicy? KillPolicy { get; set; }

    [Id(9)]
    public byte[]? Data { get; set; }

    [Id(10)]
    public Labels? Labels { get; set; }

    [Id(11)]
    public JsonElement? Discovery { get; set; }

    [Id(12)]
    public DurationInfo? MaxCompletionTime { get; set; }
}

[GenerateSerializer]
public sealed class KillPolicy
{
    [Id(0)]
    public DurationInfo? GracePeriod { get; set; }
}

/// <summary>mesos.v1.ExecutorInfo.</summary>
[GenerateSerializer]
public sealed class ExecutorInfo
{
    [Id(0)]
    public string? Type { get; set; }

    [ProtoRequired]
    [Id(1)]
    public ExecutorId? ExecutorId { get; set; }

    [Id(2)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(3)]
    public CommandInfo? Command { get; set; }

    [Id(4)]
    public List<Resource>? Resources { get; set; }

    [Id(5)]
    public string? Name { get; set; }
}

/// <summary>mesos.v1.CommandInfo. With shell (the default) value runs through /bin/sh -c; without it
/// value is the executable and arguments is the whole argv, argv[0] included.</summary>
[GenerateSerializer]
public sealed class CommandInfo
{
    [Id(0)]
    public List<CommandUri>? Uris { get; set; }

    [Id(1)]
    public CommandEnvironment? Environment { get; set; }

    [Id(2)]
    public bool? Shell { get; set; }

    [Id(3)]
    public string? Value { get; set; }

    [Id(4)]
    public List<string>? Arguments { get; set; }

    [Id(5)]
    public string? User { get; set; }
}

/// <summary>mesos.v1.CommandInfo.URI.</summary>
[GenerateSerializer]
public sealed class CommandUri
{
    [ProtoRequired]
    [Id(0)]
    public string? Value { get; set; }

    [Id(1)]
    public bool? Executable { get; set; }

    [Id(2)]
    public bool? Extract { get; set; }

    [Id(3)]
    public bool? Cache { get; set; }

    [Id(4)]
    public string? OutputFile { get; set; }
}

[GenerateSerializer]
public sealed class CommandEnvironment
{
    [Id(0)]
    public List<EnvironmentVariable>? Variables { get; set; }
}

[GenerateSerializer]
public sealed class EnvironmentVariable
{
    [ProtoRequired]
    [Id(0)]
    public string? Name { get; set; }

    [Id(1)]
    public string? Type { get; set; }

    [Id(2)]
    public string? Value { get; set; }
}
