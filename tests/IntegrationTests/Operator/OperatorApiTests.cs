using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Operator;

/// <summary>The operator API and the scraped endpoints over real HTTP against real processes.</summary>
public sealed class OperatorApiTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Get_calls_describe_the_cluster_with_a_running_task()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "op" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        using var accepted = await scheduler.CallAsync(EndToEnd.EchoTaskTests.Accept(offer, "sleeper", "sleep 60"));
        var running = await scheduler.NextAsync(e => e.Update?.Status?.State == TaskState.TASK_RUNNING || e.Update?.Status?.State == TaskState.TASK_STARTING, Patience, "TASK_STARTING");
        await scheduler.AcknowledgeAsync(running.Update!.Status!);

        var health = await CallAsync(cluster, new OperatorCall { Type = OperatorCallType.GET_HEALTH });
        var state = await CallAsync(cluster, new OperatorCall { Type = OperatorCallType.GET_STATE });
        var master = await CallAsync(cluster, new OperatorCall { Type = OperatorCallType.GET_MASTER });
        var roles = await CallAsync(cluster, new OperatorCall { Type = OperatorCallType.GET_ROLES });
        var flags = await CallAsync(cluster, new OperatorCall { Type = OperatorCallType.GET_FLAGS });
        var version = await CallAsync(cluster, new OperatorCall { Type = OperatorCallType.GET_VERSION });
        var metrics = await CallAsync(cluster, new OperatorCall { Type = OperatorCallType.GET_METRICS });
        var executors = await CallAsync(cluster, new OperatorCall { Type = OperatorCallType.GET_EXECUTORS });

        Assert.True(health.GetHealth!.Healthy);
        Assert.Equal(OperatorCallType.GET_STATE, state.Type);
        var task = Assert.Single(state.GetState!.GetTasks!.Tasks!);
        Assert.Equal("sleeper", task.TaskId!.Value);
        Assert.Equal(scheduler.FrameworkId, Assert.Single(state.GetState.GetFrameworks!.Frameworks!).FrameworkInfo!.Id);
        var agent = Assert.Single(state.GetState.GetAgents!.Agents!);
        Assert.True(agent.Active);
        Assert.Contains(agent.AllocatedResources!, r => r.Name == "cpus" && r.Scalar!.Value == 0.1);
        Assert.Equal(16777343u, master.GetMaster!.MasterInfo!.Ip);
        Assert.Contains(roles.GetRoles!.Roles!, r => r.Name == "*" && r.Frameworks!.Contains(scheduler.FrameworkId!));
        Assert.Contains(flags.GetFlags!.Flags!, f => f.Name == "work_dir");
        Assert.Equal("1.11.0", version.GetVersion!.VersionInfo!.Version);
        Assert.Contains(metrics.GetMetrics!.Metrics!, m => m.Name == "master/tasks_running" && m.Value == 1);
        Assert.Equal("sleeper", Assert.Single(executors.GetExecutors!.Executors!).ExecutorInfo!.ExecutorId!.Value);
    }

    [Fact]
    public async Task Legacy_collections_list_frameworks_agents_tasks_and_roles()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "legacy", Role = "web" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        using var accepted = await scheduler.CallAsync(EndToEnd.EchoTaskTests.Accept(offer, "legacy-task", "sleep 60"));
        var update = await scheduler.NextUpdateAsync("legacy-task", Patience);
        await scheduler.AcknowledgeAsync(update);

        var frameworks = await cluster.GetJsonAsync(new Uri(cluster.Master, $"/master/frameworks?framework_id={scheduler.FrameworkId}"));
        var slaves = await cluster.GetJsonAsync(new Uri(cluster.Master, "/master/slaves"));
        var tasks = await cluster.GetJsonAsync(new Uri(cluster.Master, $"/master/tasks?framework_id={scheduler.FrameworkId}&limit=10"));
        var roles = await cluster.GetJsonAsync(new Uri(cluster.Master, "/master/roles"));

        Assert.Equal("legacy", frameworks["frameworks"]![0]!["name"]!.GetValue<string>());
        Assert.Single(slaves["slaves"]!.AsArray());
        Assert.Equal("legacy-task", tasks["tasks"]![0]!["id"]!.GetValue<string>());
        Assert.Contains(roles["roles"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "web" && r["frameworks"]!.AsArray().Count == 1);
    }

    [Fact]
    public async Task Allocation_reasons_explain_why_a_suppressed_framework_got_nothing()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "quiet", Role = "quiet" });
        await scheduler.NextAsync(EventType.OFFERS, Patience);
        using var suppressed = await scheduler.CallAsync(new Call { Type = CallType.SUPPRESS });
        Assert.Equal(HttpStatusCode.Accepted, suppressed.StatusCode);

        GetAllocationReasons? reasons = null;
        await Testing.Waiting.Eventually.TrueAsync(
            async _ =>
            {
                reasons = (await CallAsync(cluster, new OperatorCall
                {
                    Type = OperatorCallType.GET_ALLOCATION_REASONS,
                    GetAllocationReasons = new AllocationReasonsCall { FrameworkId = scheduler.FrameworkId },
                })).GetAllocationReasons;
                return reasons?.Frameworks is [{ Reason: "SUPPRESSED" }];
            },
            "an allocation run that saw the framework suppressed",
            Patience);

        Assert.Contains("SUPPRESS", reasons!.Frameworks![0].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_snapshot_and_prometheus_text_carry_the_names_dashboards_use()
    {
        await using var cluster = await MesosCluster.StartAsync(output);

        var snapshot = await cluster.GetJsonAsync(new Uri(cluster.Master, "/metrics/snapshot"));
        var prometheus = await cluster.Http.GetStringAsync(new Uri(cluster.Master, "/metrics"));
        var flags = await cluster.GetJsonAsync(new Uri(cluster.Master, "/master/flags"));

        Assert.Equal(1, snapshot["master/elected"]!.GetValue<double>());
        Assert.Equal(1, snapshot["master/slaves_active"]!.GetValue<double>());
        Assert.Equal(2, snapshot["master/cpus_total"]!.GetValue<double>());
        Assert.Contains("mesos_master_elected 1", prometheus, StringComparison.Ordinal);
        Assert.Contains("mesos_master_cpus{type=\"free\"} 2", prometheus, StringComparison.Ordinal);
        Assert.Contains("# TYPE mesos_master_slaves_state gauge", prometheus, StringComparison.Ordinal);
        Assert.IsType<JsonObject>(flags["flags"]);
    }

    [Fact]
    public async Task Both_route_forms_answer_and_redirect_points_at_the_leader_with_its_port()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var redirect = await noRedirects.GetAsync(new Uri(cluster.Master, "/master/redirect"));
        var bare = await CallAsync(cluster, new OperatorCall { Type = OperatorCallType.GET_HEALTH }, "/api/v1");
        var prefixed = await CallAsync(cluster, new OperatorCall { Type = OperatorCallType.GET_HEALTH }, "/master/api/v1");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        // To the silo running the master: the one master process, or one of several silos behind a balancer.
        var location = redirect.Headers.Location!.OriginalString;
        Assert.Contains(location, cluster.MasterUrls.Select(u => $"//127.0.0.1:{u.Port}"));
        Assert.True(bare.GetHealth!.Healthy && prefixed.GetHealth!.Healthy);
    }

    private static async Task<OperatorResponse> CallAsync(MesosCluster cluster, OperatorCall call, string path = "/api/v1")
    {
        using var content = new ByteArrayContent(MesosJson.SerializeToUtf8(call));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await cluster.Http.PostAsync(new Uri(cluster.Master, path), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{call.Type} answered {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return MesosJson.Deserialize<OperatorResponse>(Encoding.UTF8.GetBytes(body))!;
    }
}
