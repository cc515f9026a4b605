using Mesos.Orleans.Grains.Frameworks;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Data.Sqlite;

namespace Mesos.Orleans.UnitTests.Registry;

/// <summary>The registry as grain state: records written through the agent, framework, role and machine grains,
/// read back in one query per kind, fenced by the master's term.</summary>
public sealed class GrainRegistryTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("grain-registry-");

    private string DbPath => Path.Combine(_dir.FullName, "nested", "registry.db");

    [Fact]
    public async Task What_was_written_is_there_after_the_silo_restarts_in_registration_order()
    {
        await using (var silo = await RecordSilo.StartAsync(DbPath))
        {
            var registry = silo.Registry(term: 0);
            await registry.AdmitAgentAsync(new AgentId("a2"), new AgentInfo { Hostname = "h2" }, Start.AddSeconds(2), CancellationToken.None);
            await registry.AdmitAgentAsync(new AgentId("a1"), new AgentInfo { Hostname = "h1", Port = 5051 }, Start.AddSeconds(1), CancellationToken.None);
            await registry.SetAgentStateAsync(new AgentId("a2"), AgentRegistryState.Draining, new DrainConfig { MarkGone = true }, Start, CancellationToken.None);
            await registry.SetReservationsAsync(new AgentId("a1"), [new ReservationRecord()], Start, CancellationToken.None);
            await registry.AddFrameworkAsync(new FrameworkId("f1"), new FrameworkInfo { User = "u", Name = "kept", FailoverTimeout = 60 }, Start, CancellationToken.None);
            await registry.AddFrameworkAsync(new FrameworkId("f2"), new FrameworkInfo { User = "u", Name = "gone" }, Start.AddSeconds(1), CancellationToken.None);
            await registry.RemoveFrameworkAsync(new FrameworkId("f2"), Start, CancellationToken.None);
            await registry.SetWeightAsync("web", 2.5, Start, CancellationToken.None);
            await registry.SetQuotaAsync(new QuotaConfig { Role = "batch", Limits = new() { ["cpus"] = new QuotaValue { Value = 4 } } }, Start, CancellationToken.None);
            await registry.SetMachineDownAsync("m2", true, Start, CancellationToken.None);
            await registry.SetMachineDownAsync("m1", true, Start, CancellationToken.None);
            await registry.SetMachineDownAsync("m2", false, Start, CancellationToken.None);
        }

        SqliteConnection.ClearAllPools();
        await using var again = await RecordSilo.StartAsync(DbPath);
        var snapshot = await again.Registry(term: 0).LoadAsync(CancellationToken.None);

        Assert.Equal([("a1", "h1", "active"), ("a2", "h2", "draining")], snapshot.Agents.Select(a => (a.Id.Value, a.Info.Hostname!, a.State)).ToList());
        Assert.Equal(5051, snapshot.Agents[0].Info.Port);
        Assert.True(snapshot.Agents[1].Drain!.MarkGone);
        Assert.Equal("a1", Assert.Single(snapshot.Reservations).AgentId.Value);
        Assert.Equal([("f1", "kept", false), ("f2", "gone", true)], snapshot.Frameworks.Select(f => (f.Id.Value, f.Info.Name!, f.Removed)).ToList());
        Assert.Equal(60, snapshot.Frameworks[0].Info.FailoverTimeout);
        Assert.Equal([("batch", (double?)null), ("web", 2.5)], snapshot.Roles.Select(r => (r.Role, r.Weight)).ToList());
        Assert.Equal(4, snapshot.Roles[0].Quota!.Limits!["cpus"].Value);
        Assert.Equal(["m1"], snapshot.DownMachines);
    }

    [Fact]
    public async Task Readmitting_keeps_the_state_an_operator_set_and_brings_an_unreachable_agent_back()
    {
        await using var silo = await RecordSilo.StartAsync(DbPath);
        var registry = silo.Registry(term: 0);
        await registry.AdmitAgentAsync(new AgentId("kept"), new AgentInfo { Hostname = "old" }, Start, CancellationToken.None);
        await registry.AdmitAgentAsync(new AgentId("back"), new AgentInfo { Hostname = "b" }, Start.AddSeconds(1), CancellationToken.None);
        await registry.SetAgentStateAsync(new AgentId("kept"), AgentRegistryState.Deactivated, null, Start, CancellationToken.None);
        await registry.SetAgentStateAsync(new AgentId("back"), AgentRegistryState.Unreachable, null, Start, CancellationToken.None);

        // A state for an agent never admitted records nothing.
        await registry.SetAgentStateAsync(new AgentId("never"), AgentRegistryState.Gone, null, Start, CancellationToken.None);
        await registry.AdmitAgentAsync(new AgentId("kept"), new AgentInfo { Hostname = "new" }, Start, CancellationToken.None);
        await registry.AdmitAgentAsync(new AgentId("back"), new AgentInfo { Hostname = "b" }, Start, CancellationToken.None);

        var snapshot = await registry.LoadAsync(CancellationToken.None);
        Assert.Equal([("kept", "new", "deactivated"), ("back", "b", "active")], snapshot.Agents.Select(a => (a.Id.Value, a.Info.Hostname!, a.State)).ToList());
    }

    [Fact]
    public async Task A_write_in_a_stale_term_is_refused_and_stores_nothing()
    {
        await using var silo = await RecordSilo.StartAsync(DbPath);
        await silo.ClaimAsync(1);
        var old = silo.Registry(term: 1);
        await old.SetWeightAsync("before", 2, Start, CancellationToken.None);

        await silo.ClaimAsync(2);
        var refusals = new Func<Task>[]
        {
            () => old.SetWeightAsync("after", 3, Start, CancellationToken.None),
            () => old.SetQuotaAsync(new QuotaConfig { Role = "after", Limits = new() { ["cpus"] = new QuotaValue { Value = 1 } } }, Start, CancellationToken.None),
            () => old.AdmitAgentAsync(new AgentId("after"), new AgentInfo { Hostname = "h" }, Start, CancellationToken.None),
            () => old.SetReservationsAsync(new AgentId("after"), [new ReservationRecord()], Start, CancellationToken.None),
            () => old.AddFrameworkAsync(new FrameworkId("after"), new FrameworkInfo { User = "u", Name = "n" }, Start, CancellationToken.None),
            () => old.RemoveFrameworkAsync(new FrameworkId("after"), Start, CancellationToken.None),
            () => old.SetMachineDownAsync("after", true, Start, CancellationToken.None),
        };
        foreach (var refused in refusals)
        {
            Assert.Equal(1, (await Assert.ThrowsAsync<StaleTermException>(refused)).Term);
        }

        var current = silo.Registry(term: 2);
        await current.SetWeightAsync("current", 4, Start, CancellationToken.None);
        var snapshot = await current.LoadAsync(CancellationToken.None);
        Assert.Equal(["before", "current"], snapshot.Roles.Select(r => r.Role).ToList());
        Assert.Empty(snapshot.Agents);
        Assert.Empty(snapshot.Frameworks);
        Assert.Empty(snapshot.Reservations);
        Assert.Empty(snapshot.DownMachines);
    }

    [Fact]
    public async Task Records_come_back_in_registration_order_not_id_order_and_clearing_writes_stick()
    {
        await using var silo = await RecordSilo.StartAsync(DbPath);
        var registry = silo.Registry(term: 0);
        await registry.AdmitAgentAsync(new AgentId("a-first"), new AgentInfo { Hostname = "h" }, Start.AddSeconds(9), CancellationToken.None);
        await registry.AdmitAgentAsync(new AgentId("z-first"), new AgentInfo { Hostname = "h" }, Start.AddSeconds(1), CancellationToken.None);
        await registry.AddFrameworkAsync(new FrameworkId("b"), new FrameworkInfo { User = "u", Name = "later" }, Start.AddSeconds(2), CancellationToken.None);
        await registry.AddFrameworkAsync(new FrameworkId("a"), new FrameworkInfo { User = "u", Name = "earlier" }, Start.AddSeconds(1), CancellationToken.None);

        // A removed framework stays removed when it is added again; its info is updated.
        await registry.RemoveFrameworkAsync(new FrameworkId("b"), Start, CancellationToken.None);
        await registry.AddFrameworkAsync(new FrameworkId("b"), new FrameworkInfo { User = "u", Name = "again" }, Start, CancellationToken.None);

        // An empty quota removes the quota; empty reservations remove them; reservations of an agent never
        // admitted are kept for it, without making it an agent.
        await registry.SetQuotaAsync(new QuotaConfig { Role = "q", Limits = new() { ["cpus"] = new QuotaValue { Value = 1 } } }, Start, CancellationToken.None);
        await registry.SetQuotaAsync(new QuotaConfig { Role = "q" }, Start, CancellationToken.None);
        await registry.SetReservationsAsync(new AgentId("a-first"), [new ReservationRecord()], Start, CancellationToken.None);
        await registry.SetReservationsAsync(new AgentId("a-first"), [], Start, CancellationToken.None);
        await registry.SetReservationsAsync(new AgentId("not-admitted"), [new ReservationRecord()], Start, CancellationToken.None);

        var snapshot = await registry.LoadAsync(CancellationToken.None);
        Assert.Equal(["z-first", "a-first"], snapshot.Agents.Select(a => a.Id.Value).ToList());
        Assert.Equal([("a", false), ("b", true)], snapshot.Frameworks.Select(f => (f.Id.Value, f.Removed)).ToList());
        Assert.Equal("again", snapshot.Frameworks[1].Info.Name);
        Assert.Null(Assert.Single(snapshot.Roles).Quota);
        Assert.Equal("not-admitted", Assert.Single(snapshot.Reservations).AgentId.Value);
    }

    [Fact]
    public async Task A_record_written_in_a_newer_term_refuses_an_older_writer_even_before_the_claim_is_seen()
    {
        await using var silo = await RecordSilo.StartAsync(DbPath);
        await silo.Registry(term: 5).SetWeightAsync("web", 2, Start, CancellationToken.None);

        // No term was claimed at all: the fence lets term 4 through, the record's own term does not.
        var stale = await Assert.ThrowsAsync<StaleTermException>(() => silo.Registry(term: 4).SetWeightAsync("web", 3, Start, CancellationToken.None));
        Assert.Equal(4, stale.Term);
        Assert.Equal(2, Assert.Single((await silo.Registry(term: 5).LoadAsync(CancellationToken.None)).Roles).Weight);
    }

    [Fact]
    public async Task A_stale_master_can_neither_arm_nor_disarm_a_failover_deadline()
    {
        await using var silo = await RecordSilo.StartAsync(DbPath);
        await silo.ClaimAsync(2);
        var framework = silo.Grains.GetGrain<IFrameworkGrain>(FrameworkGrain.KeyOf(new FrameworkId("f")));
        var deadline = DateTimeOffset.UtcNow.AddHours(1);

        await Assert.ThrowsAsync<StaleTermException>(() => framework.StartFailover(1, deadline));
        Assert.Null(await framework.GetFailoverDeadline());

        await framework.StartFailover(2, deadline);
        await Assert.ThrowsAsync<StaleTermException>(() => framework.CancelFailover(1));
        await Assert.ThrowsAsync<StaleTermException>(() => framework.ExpectAfterRecovery(1, deadline.AddHours(1), deadline.AddHours(2)));
        Assert.Equal(deadline, await framework.GetFailoverDeadline());

        await framework.CancelFailover(2);
        Assert.Null(await framework.GetFailoverDeadline());
    }

    [Theory]
    [InlineData(7, 1_000, 1_000)]
    [InlineData(1_000, 7, 1_001)]
    public void A_term_is_one_more_than_the_last_and_no_less_than_the_time_in_milliseconds(long previous, long nowMs, long next) =>
        Assert.Equal(next, MasterTerm.Next(previous, DateTimeOffset.FromUnixTimeMilliseconds(nowMs)));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }
}
