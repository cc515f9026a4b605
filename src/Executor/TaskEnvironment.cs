using System.Collections;

namespace Mesos.Orleans.Executor;

/// <summary>The task's environment is the executor's own: the agent builds it (MESOS_* variables, ports, the
/// command's variables) when it starts the executor.</summary>
internal static class TaskEnvironment
{
    public static List<string> Current()
    {
        var variables = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables.Add($"{entry.Key}={entry.Value}");
        }

        return variables;
    }
}
