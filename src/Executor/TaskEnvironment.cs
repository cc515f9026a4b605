using System.Collections;

namespace Mesos.Orleans.Executor;

/// <summary>The task's environment: the executor's own (the agent's, inherited) with the variables the agent
/// built for the task (MESOS_* variables, ports, the command's variables) over it — given when the executor
/// is started for the task, or handed to a prestarted one with its launch (<see cref="Set"/>).</summary>
internal static class TaskEnvironment
{
    private static readonly Dictionary<string, string> Given = new(StringComparer.Ordinal);

    /// <summary>A task's variable; an empty value is kept as empty (changing the process environment would
    /// drop it).</summary>
    public static void Set(string name, string value) => Given[name] = value;

    public static List<string> Current()
    {
        var variables = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (!Given.ContainsKey((string)entry.Key))
            {
                variables.Add($"{entry.Key}={entry.Value}");
            }
        }

        variables.AddRange(Given.Select(v => $"{v.Key}={v.Value}"));
        return variables;
    }
}
