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
/// Master failover on PostgreSQL: two real master processes (mesos-master, --registry=postgres) on a
/// throwaway PostgreSQL, N simulated agents following the leader over the real agent protocol. The leader
/// is killed with SIGKILL; measured from that instant: <b>takeover</b> (the standby accepts a framework's
/// SUBSCRIBE) and <b>completion</b> (every agent has reregistered with it).
/// </summary>
internal static class TakeoverBenchmarks
{
    public static int Run(IReadOnlyList<int> agentCounts, string[] leaseArgs)
    {
        return RunAsync(agentCounts, leaseArgs).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(IReadOnlyList<int> agentCounts, string[] leaseArgs)
    {
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        Console.WriteLine($"Lease flags: {(leaseArgs.Length == 0 ? "defaults (ttl 3 s, renew 500 ms, retry 200 ms, margin 750 ms)" : string.Join(' ', leaseArgs))}");
        await using var postgres = await TestPostgres.StartAsync();
        Console.WriteLine("| agents | takeover (kill → SUBSCRIBE accepted) | completion (all agents reregistered) | agents registered before the kill |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var count in agentCounts)
        {
            var (takeover, completion) = await RunOnceAsync(postgres, count, leaseArgs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {count:N0} | {takeover.TotalSeconds:F2} s | {completion.TotalSeconds:F2} s | {count:N0} |"));
        }

        return 0;
    }

    private static async Task<(TimeSpan Takeover, TimeSpan Completion)> RunOnceAsync(TestPostgres postgres, int count, string[] leaseArgs)
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = MesosCluster.Create(output: null);
        await cluster.StartHaMastersAsync(1, database, [.. leaseArgs, "--Logging:LogLevel:Default=Warning"]);
        var first = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        await cluster.StartMasterAsync(["--registry", "postgres", "--registry_connection", database, .. leaseArgs, "--Logging:LogLevel:Default=Warning"]);
        var standby = 1 - first;

        await using var agents = new FollowingAgents(cluster.MasterUrls, count);
        await agents.StartAsync(parallelism: 256, TimeSpan.FromMinutes(5));

        // The standby's warm copy has every agent before the kill (it polls the registry's version).
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        while (await StandbyAgentCountAsync(http, cluster.MasterUrls[standby]) < count)
        {
            await Task.Delay(100);
        }

        agents.MarkFailover();
        var clock = Stopwatch.StartNew();
        cluster.Masters[first].KillHard();

        while (!await SubscribeAcceptedAsync(http, cluster.MasterUrls[standby]))
        {
            await Task.Delay(10);
        }

        var takeover = clock.Elapsed;
        while (agents.Resubscribed < count)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"Only {agents.Resubscribed} of {count} agents reregistered within 5 minutes");
            }

            await Task.Delay(10);
        }

        var completion = clock.Elapsed;

        // What the new leader says of its takeover (and of any step-down), to tell lease time from start-up time.
        foreach (var line in cluster.Masters[standby].Log.Split('\n').Where(l => l.Contains("Leadership", StringComparison.Ordinal) || l.Contains("Leading in term", StringComparison.Ordinal) || l.Contains("Stepping down", StringComparison.Ordinal)))
        {
            Console.Error.WriteLine($"  standby: {line}");
        }

        return (takeover, completion);
    }

    private static async Task<int> StandbyAgentCountAsync(HttpClient http, Uri master)
    {
        using var content = new StringContent(MesosJson.Serialize(new OperatorCall { Type = OperatorCallType.GET_AGENTS }), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(master, "/api/v1"), content);
        return response.StatusCode == HttpStatusCode.OK
            ? MesosJson.Deserialize<OperatorResponse>(await response.Content.ReadAsStringAsync())?.GetAgents?.Agents?.Count ?? 0
            : 0;
    }

    /// <summary>One framework SUBSCRIBE: true when the master answered 200 (it leads and serves).</summary>
    private static async Task<bool> SubscribeAcceptedAsync(HttpClient http, Uri master)
    {
        var call = new Call { Type = CallType.SUBSCRIBE, Subscribe = new SubscribeCall { FrameworkInfo = new FrameworkInfo { User = "bench", Name = "takeover" } } };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(master, "/api/v1/scheduler")) { Content = new ByteArrayContent(MesosJson.SerializeToUtf8(call)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
