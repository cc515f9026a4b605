using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Postgres;
using Mesos.Orleans.Testing.Processes;

namespace Mesos.Orleans.Benchmarks.Takeover;

/// <summary>
/// Master failover on PostgreSQL: two real mesos-master silos (--cluster postgres) on a throwaway PostgreSQL,
/// N simulated agents on the real agent protocol, given both silos' URLs. The silo running the master grain
/// is killed with SIGKILL; measured from that instant: <b>takeover</b> (the other silo accepts a framework's
/// SUBSCRIBE, sent by a <see cref="SubscribeProbe"/> process of its own, so the master runs again there) and
/// <b>completion</b> (every agent has reregistered with it).
/// </summary>
internal static class TakeoverBenchmarks
{
    private const int Sigcont = 18;
    private const int Sigstop = 19;

    public static int Run(IReadOnlyList<int> agentCounts, bool pause, string[] siloArgs)
    {
        return RunAsync(agentCounts, pause, siloArgs).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(IReadOnlyList<int> agentCounts, bool pause, string[] siloArgs)
    {
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        Console.WriteLine($"Silo flags: {(siloArgs.Length == 0 ? "defaults" : string.Join(' ', siloArgs))}; the master's silo is {(pause ? "paused (SIGSTOP)" : "killed (SIGKILL)")}");
        await using var postgres = await TestPostgres.StartAsync();
        Console.WriteLine("| agents | takeover (kill → SUBSCRIBE accepted) | completion (all agents reregistered) | agents registered before the kill |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var count in agentCounts)
        {
            var (takeover, completion) = await RunOnceAsync(postgres, count, pause, siloArgs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {count:N0} | {takeover.TotalSeconds:F2} s | {completion.TotalSeconds:F2} s | {count:N0} |"));
        }

        return 0;
    }

    private static async Task<(TimeSpan Takeover, TimeSpan Completion)> RunOnceAsync(TestPostgres postgres, int count, bool pause, string[] siloArgs)
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = MesosCluster.Create(output: null);
        await cluster.StartSilosAsync(2, database, [.. siloArgs, "--Logging:LogLevel:Default=Warning"]);
        var first = await cluster.MasterSiloAsync(TimeSpan.FromSeconds(60));
        var standby = 1 - first;

        await using var agents = new FollowingAgents(cluster.MasterUrls, count, pause ? TimeSpan.FromSeconds(15) : null);
        await agents.StartAsync(parallelism: 256, TimeSpan.FromMinutes(5));

        // Every agent is registered (as the surviving silo reports it) before the kill.
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        while (await AgentCountAsync(http, cluster.MasterUrls[standby]) < count)
        {
            await Task.Delay(100);
        }

        using var probe = await SubscribeProbe.StartAsync(cluster.MasterUrls[standby]);
        agents.MarkFailover();
        var killedAt = Stopwatch.GetTimestamp();
        if (pause)
        {
            cluster.Masters[first].Signal(Sigstop);
        }
        else
        {
            cluster.Masters[first].KillHard();
        }

        var killed = DateTimeOffset.UtcNow;
        await SubscribeProbe.GoAsync(probe);
        Console.Error.WriteLine($"  leader killed at {killed:HH:mm:ss.fff}");

        var takeover = await SubscribeProbe.AcceptedAsync(probe) - killed;
        await probe.WaitForExitAsync();
        while (agents.Resubscribed < count)
        {
            if (Stopwatch.GetElapsedTime(killedAt) > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"Only {agents.Resubscribed} of {count} agents reregistered within 5 minutes");
            }

            await Task.Delay(10);
        }

        var completion = Stopwatch.GetElapsedTime(killedAt);
        if (pause)
        {
            // Woken up after its death, it must stop by itself; the cluster's disposal kills it in any case.
            cluster.Masters[first].Signal(Sigcont);
        }

        var back = agents.ResubscribedAt.Select(t => Stopwatch.GetElapsedTime(killedAt, t).TotalSeconds).Order().ToList();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  agents back after the kill: p10 {back[back.Count / 10]:F2} s, p50 {back[back.Count / 2]:F2} s, p90 {back[back.Count * 9 / 10]:F2} s, p99 {back[back.Count * 99 / 100]:F2} s, last {back[^1]:F2} s"));

        Console.Error.Write(agents.Attempts.Summary(slowest: 8));

        // What the surviving silo says of the master's activation, to tell failure detection from recovery time.
        foreach (var line in cluster.Masters[standby].Log.Split('\n').Where(l => (l.Contains("Master ", StringComparison.Ordinal) && l.Contains("active", StringComparison.Ordinal)) || l.Contains("declared dead", StringComparison.Ordinal)))
        {
            Console.Error.WriteLine($"  surviving silo: {line}");
        }

        return (takeover, completion);
    }

    private static async Task<int> AgentCountAsync(HttpClient http, Uri master)
    {
        using var content = new StringContent(MesosJson.Serialize(new OperatorCall { Type = OperatorCallType.GET_AGENTS }), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(master, "/api/v1"), content);
        return response.StatusCode == HttpStatusCode.OK
            ? MesosJson.Deserialize<OperatorResponse>(await response.Content.ReadAsStringAsync())?.GetAgents?.Agents?.Count ?? 0
            : 0;
    }
}
