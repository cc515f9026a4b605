using System.Text.Json.Nodes;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;
using static Mesos.Orleans.UnitTests.Master.MasterFixture;

namespace Mesos.Orleans.UnitTests.Master;

/// <summary>Operator reads that wait at the same time share one view, built and rendered once; a read never
/// joins one that started before it asked, so it sees every change made before it.</summary>
public sealed class SharedViewTests
{
    [Fact]
    public async Task Reads_queued_together_share_one_rendered_view_that_has_every_change_made_before_them()
    {
        var registry = new GatedRegistry();
        await using var fixture = await StartAsync(registry: registry);
        await fixture.AddAgentAsync(host: "agent-1");

        registry.Close();
        var second = fixture.AddAgentAsync(host: "agent-2"); // its turn waits on the registry, and so does the loop
        await registry.Blocked.WaitAsync(Patience);
        var first = fixture.Master.GetOperatorViewJsonAsync(OperatorCallType.GET_AGENTS);
        var again = fixture.Master.GetOperatorViewJsonAsync(OperatorCallType.GET_AGENTS);
        var state = fixture.Master.GetStateJsonAsync();
        var stateAgain = fixture.Master.GetStateJsonAsync();
        registry.Open();
        await second;

        Assert.Same(await first, await again);
        Assert.Equal(["agent-1", "agent-2"], Hostnames(await first));
        Assert.Same(await state, await stateAgain);
        Assert.Equal(2, JsonNode.Parse(await state)!["slaves"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_read_after_a_change_gets_a_new_view()
    {
        await using var fixture = await StartAsync();
        await fixture.AddAgentAsync(host: "agent-1");
        var before = await fixture.Master.GetOperatorViewJsonAsync(OperatorCallType.GET_AGENTS);

        await fixture.AddAgentAsync(host: "agent-2");
        var after = await fixture.Master.GetOperatorViewJsonAsync(OperatorCallType.GET_AGENTS);

        Assert.NotSame(before, after);
        Assert.Equal(["agent-1"], Hostnames(before));
        Assert.Equal(["agent-1", "agent-2"], Hostnames(after));
    }

    [Fact]
    public async Task Only_the_large_views_are_shared()
    {
        await using var fixture = await StartAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Master.GetOperatorViewJsonAsync(OperatorCallType.GET_HEALTH));
    }

    private static List<string> Hostnames(byte[] body) =>
        [.. JsonNode.Parse(body)!["get_agents"]!["agents"]!.AsArray().Select(a => a!["agent_info"]!["hostname"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    /// <summary>An in-memory registry whose agent admissions can be held, to hold the master's loop.</summary>
    private sealed class GatedRegistry : IRegistry
    {
        private readonly InMemoryRegistry _inner = new();
        private TaskCompletionSource _open = Opened();
        private readonly TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Blocked => _blocked.Task;

        public void Close() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _open.TrySetResult();

        public Task<RegistrySnapshot> LoadAsync(CancellationToken cancellationToken) => _inner.LoadAsync(cancellationToken);

        public async Task AdmitAgentAsync(AgentId id, AgentInfo info, DateTimeOffset at, CancellationToken cancellationToken)
        {
            if (!_open.Task.IsCompleted)
            {
                _blocked.TrySetResult();
            }

            await _open.Task.WaitAsync(cancellationToken);
            await _inner.AdmitAgentAsync(id, info, at, cancellationToken);
        }

        public Task SetAgentStateAsync(AgentId id, AgentRegistryState state, DrainConfig? drain, DateTimeOffset at, CancellationToken cancellationToken) =>
            _inner.SetAgentStateAsync(id, state, drain, at, cancellationToken);

        public Task AddFrameworkAsync(FrameworkId id, FrameworkInfo info, DateTimeOffset at, CancellationToken cancellationToken) =>
            _inner.AddFrameworkAsync(id, info, at, cancellationToken);

        public Task RemoveFrameworkAsync(FrameworkId id, DateTimeOffset at, CancellationToken cancellationToken) => _inner.RemoveFrameworkAsync(id, at, cancellationToken);

        public Task SetWeightAsync(string role, double weight, DateTimeOffset at, CancellationToken cancellationToken) =>
            _inner.SetWeightAsync(role, weight, at, cancellationToken);

        public Task SetQuotaAsync(QuotaConfig quota, DateTimeOffset at, CancellationToken cancellationToken) => _inner.SetQuotaAsync(quota, at, cancellationToken);

        public Task SetMachineDownAsync(string machine, bool down, DateTimeOffset at, CancellationToken cancellationToken) =>
            _inner.SetMachineDownAsync(machine, down, at, cancellationToken);

        public Task SetReservationsAsync(AgentId agent, IReadOnlyList<ReservationRecord> conversions, DateTimeOffset at, CancellationToken cancellationToken) =>
            _inner.SetReservationsAsync(agent, conversions, at, cancellationToken);

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }
    }
}
