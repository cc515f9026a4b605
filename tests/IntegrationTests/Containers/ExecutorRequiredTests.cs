using Mesos.Orleans.Testing.Processes;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Containers;

/// <summary>The agent runs every task under mesos-executor, so it refuses to start without one.</summary>
public sealed class ExecutorRequiredTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_agent_without_its_executor_fails_at_start_and_says_why()
    {
        var empty = Directory.CreateTempSubdirectory("no-executor-");
        try
        {
            await using var agent = ManagedProcess.StartDotnet(
                "agent",
                MesosCluster.AgentAssembly,
                ["--master", "http://127.0.0.1:9", "--port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                 "--work_dir", Path.Combine(empty.FullName, "work"), "--launcher_dir", empty.FullName],
                output);

            await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));

            Assert.Contains($"mesos-agent: The task executor '{Path.Combine(empty.FullName, "mesos-executor")}' does not exist", agent.Log, StringComparison.Ordinal);
            Assert.Contains("--launcher_dir", agent.Log, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }
}
