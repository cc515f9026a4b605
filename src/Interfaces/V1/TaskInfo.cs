using Mesos.Orleans.Interfaces.Json;
using System.Text.Json;

namespace Mesos.Orleans.Interfaces.V1;

/// <summary>mesos.v1.TaskInfo.</summary>
public sealed class TaskInfo
{
    [ProtoRequired]
    public string? Name { get; set; }

    [ProtoRequired]
    public TaskId? TaskId { get; set; }

    [ProtoRequired]
    public AgentId? AgentId { get; set; }

    public List<Resource>? Resources { get; set; }

    public ExecutorInfo? Executor { get; set; }

    public CommandInfo? Command { get; set; }

    // The parts below are carried to the agent unchanged; the agent interprets them.
    public JsonElement? Container { get; set; }

    public HealthCheck? HealthCheck { get; set; }

    public KillPolicy? KillPolicy { get; set; }

    public byte[]? Data { get; set; }

    public Labels? Labels { get; set; }

    public JsonElement? Discovery { get; set; }

    public DurationInfo? MaxCompletionTime { get; set; }
}

public sealed class KillPolicy
{
    public DurationInfo? GracePeriod { get; set; }
}

/// <summary>mesos.v1.ExecutorInfo.</summary>
public sealed class ExecutorInfo
{
    public string? Type { get; set; }

    [ProtoRequired]
    public ExecutorId? ExecutorId { get; set; }

    public FrameworkId? FrameworkId { get; set; }

    public CommandInfo? Command { get; set; }

    public List<Resource>? Resources { get; set; }

    public string? Name { get; set; }
}

/// <summary>mesos.v1.CommandInfo. With shell (the default) value runs through /bin/sh -c; without it
/// value is the executable and arguments is the whole argv, argv[0] included.</summary>
public sealed class CommandInfo
{
    public List<CommandUri>? Uris { get; set; }

    public CommandEnvironment? Environment { get; set; }

    public bool? Shell { get; set; }

    public string? Value { get; set; }

    public List<string>? Arguments { get; set; }

    public string? User { get; set; }
}

/// <summary>mesos.v1.CommandInfo.URI.</summary>
public sealed class CommandUri
{
    [ProtoRequired]
    public string? Value { get; set; }

    public bool? Executable { get; set; }

    public bool? Extract { get; set; }

    public bool? Cache { get; set; }

    public string? OutputFile { get; set; }
}

public sealed class CommandEnvironment
{
    public List<EnvironmentVariable>? Variables { get; set; }
}

public sealed class EnvironmentVariable
{
    [ProtoRequired]
    public string? Name { get; set; }

    public string? Type { get; set; }

    public string? Value { get; set; }
}
