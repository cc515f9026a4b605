using Mesos.Orleans.AgentHost;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Hosting;

public sealed class AgentIdentityTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("agent-work-");
    private readonly string _bootId = Path.GetTempFileName();

    [Fact]
    public void The_same_boot_keeps_the_agent_id_and_a_reboot_forgets_it_and_the_task_checkpoints()
    {
        File.WriteAllText(_bootId, "boot-1");
        Assert.False(AgentIdentity.HostRebooted(_work.FullName, _bootId));
        AgentIdentity.Save(_work.FullName, new AgentId("a-1"));
        Directory.CreateDirectory(Path.Combine(_work.FullName, "meta", "tasks"));
        File.WriteAllText(Path.Combine(_work.FullName, "meta", "tasks", "f__t.json"), "{}");

        Assert.False(AgentIdentity.HostRebooted(_work.FullName, _bootId));
        Assert.Equal(new AgentId("a-1"), AgentIdentity.Load(_work.FullName));

        File.WriteAllText(_bootId, "boot-2");
        Assert.True(AgentIdentity.HostRebooted(_work.FullName, _bootId));
        Assert.Null(AgentIdentity.Load(_work.FullName));
        Assert.False(Directory.Exists(Path.Combine(_work.FullName, "meta", "tasks")));
    }

    public void Dispose()
    {
        _work.Delete(recursive: true);
        File.Delete(_bootId);
    }
}
