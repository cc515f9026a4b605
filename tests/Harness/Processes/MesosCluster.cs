using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mesos.Orleans.Testing.Waiting;
using Xunit.Abstractions;

namespace Mesos.Orleans.Testing.Processes;

/// <summary>Real master and agent processes on free loopback ports, each with its own work directory
/// under one temporary folder that disposal removes. The test project must reference the Silo and
/// AgentHost projects so that mesos-master.dll and mesos-agent.dll sit beside the tests.</summary>
public sealed class MesosCluster : IAsyncDisposable
{
    private readonly List<ManagedProcess> _masters = [];
    private readonly List<ManagedProcess> _agents = [];
    private readonly List<(string Resources, string[] ExtraArgs)> _agentStarts = [];
    private readonly List<string[]> _masterStarts = [];
    private readonly List<(int Silo, int Gateway)> _siloPorts = [];
    private readonly ITestOutputHelper? _output;
    private bool _agentsKnowAllMasters;
    private RoundRobinProxy? _proxy;

    private MesosCluster(string root, ITestOutputHelper? output)
    {
        Root = root;
        _output = output;
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Root { get; }

    public HttpClient Http { get; }

    public List<Uri> MasterUrls { get; } = [];

    public List<Uri> AgentUrls { get; } = [];

    /// <summary>Where clients reach the master: the one silo, or the proxy in front of several
    /// (<see cref="ClusterShape"/>).</summary>
    public Uri Master => _proxy?.Url ?? MasterUrls[0];

    public IReadOnlyList<ManagedProcess> Agents => _agents;

    public IReadOnlyList<ManagedProcess> Masters => _masters;

    /// <summary>The Orleans silo-to-silo port of each master process, by index.</summary>
    public IReadOnlyList<int> SiloPorts => [.. _siloPorts.Select(p => p.Silo)];

    public static string MasterAssembly => Path.Combine(AppContext.BaseDirectory, "mesos-master.dll");

    public static string AgentAssembly => Path.Combine(AppContext.BaseDirectory, "mesos-agent.dll");

    /// <summary>Starts the master (one silo, or as many as <see cref="ClusterShape.Silos"/> says) and
    /// <paramref name="agents"/> agents, and waits until every agent is registered with the master.</summary>
    public static async Task<MesosCluster> StartAsync(
        ITestOutputHelper? output, int agents = 1, string agentResources = "cpus:2;mem:1024;disk:1024;ports:[31000-31099]", params string[] agentArgs)
    {
        var cluster = new MesosCluster(Directory.CreateTempSubdirectory("mesos-cluster-").FullName, output);
        try
        {
            if (ClusterShape.Silos > 1)
            {
                await cluster.StartSilosAsync(ClusterShape.Silos, await ClusterShape.CreateDatabaseAsync().ConfigureAwait(false)).ConfigureAwait(false);
                cluster._proxy = RoundRobinProxy.Start(cluster.MasterUrls);
            }
            else
            {
                await cluster.StartMasterAsync().ConfigureAwait(false);
            }

            for (var i = 0; i < agents; i++)
            {
                await cluster.StartAgentAsync(agentResources, agentArgs).ConfigureAwait(false);
            }

            await cluster.WaitForAgentsAsync(agents).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>An empty cluster; start its masters and agents one by one.</summary>
    public static MesosCluster Create(ITestOutputHelper? output) =>
        new(Directory.CreateTempSubdirectory("mesos-cluster-").FullName, output);

    /// <summary>Starts <paramref name="count"/> silos clustered on the PostgreSQL database given (each a
    /// mesos-master with --cluster postgres); agents started afterwards get every silo's URL.</summary>
    public async Task StartSilosAsync(int count, string connectionString, params string[] extraArgs)
    {
        _agentsKnowAllMasters = true;
        for (var i = 0; i < count; i++)
        {
            await StartMasterAsync(["--cluster", "postgres", "--cluster_connection", connectionString, .. extraArgs]).ConfigureAwait(false);
        }
    }

    /// <summary>The index of the silo the master grain runs on, as a live silo not in <paramref name="excluding"/>
    /// reports it (the master's address is that of the silo it runs on).</summary>
    public async Task<int> MasterSiloAsync(TimeSpan timeout, params int[] excluding)
    {
        var hosting = -1;
        await Eventually.TrueAsync(
            async _ =>
            {
                hosting = -1;
                for (var i = 0; i < _masters.Count && hosting < 0; i++)
                {
                    if (excluding.Contains(i) || _masters[i].HasExited)
                    {
                        continue;
                    }

                    var state = await GetJsonAsync(new Uri(MasterUrls[i], "/master/state")).ConfigureAwait(false);
                    var port = int.Parse(state["pid"]!.GetValue<string>().Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
                    var index = MasterUrls.FindIndex(u => u.Port == port);
                    hosting = index >= 0 && !excluding.Contains(index) && !_masters[index].HasExited ? index : -1;
                }

                return hosting >= 0;
            },
            "a live silo to run the master",
            timeout).ConfigureAwait(false);
        return hosting;
    }

    public Task<ManagedProcess> StartMasterAsync(params string[] extraArgs) => StartMasterAsync(extraArgs, restartIndex: null);

    /// <summary>kill -9 a master, then start it again with the same ports, work directory (so the same
    /// registry) and flags, and wait until it answers /health.</summary>
    public async Task<ManagedProcess> RestartMasterAsync(int index = 0)
    {
        _masters[index].KillHard();
        await _masters[index].WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await _masters[index].DisposeAsync().ConfigureAwait(false);
        return await StartMasterAsync(_masterStarts[index], index).ConfigureAwait(false);
    }

    private async Task<ManagedProcess> StartMasterAsync(string[] extraArgs, int? restartIndex)
    {
        var index = restartIndex ?? _masters.Count;
        var port = restartIndex is { } again ? MasterUrls[again].Port : FreePort.Next();
        // Each master's Orleans silo and gateway need ports of their own too; a restart keeps them.
        var (siloPort, gatewayPort) = restartIndex is { } same ? _siloPorts[same] : (FreePort.Next(), FreePort.Next());
        var master = ManagedProcess.StartDotnet(
            $"master{index}",
            MasterAssembly,
            ["--ip", "127.0.0.1", "--port", Text(port), "--silo_port", Text(siloPort), "--gateway_port", Text(gatewayPort),
             "--work_dir", Path.Combine(Root, $"master{index}"), .. extraArgs],
            _output);
        var url = new Uri($"http://127.0.0.1:{port}");
        if (restartIndex is null)
        {
            _masters.Add(master);
            MasterUrls.Add(url);
            _masterStarts.Add(extraArgs);
            _siloPorts.Add((siloPort, gatewayPort));
        }
        else
        {
            _masters[index] = master;
        }

        await Eventually.TrueAsync(
            async _ => !master.HasExited && await IsHealthyAsync(new Uri(url, "/health")).ConfigureAwait(false),
            $"master{index} to answer /health on {url}",
            TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return master;
    }

    /// <summary>kill -9 an agent, then start it again with the same port, work directory and flags.</summary>
    public async Task<ManagedProcess> RestartAgentAsync(int index)
    {
        await KillAgentAsync(index).ConfigureAwait(false);
        return await StartAgentAgainAsync(index).ConfigureAwait(false);
    }

    /// <summary>kill -9 an agent (its tasks, in their own sessions, live on).</summary>
    public async Task KillAgentAsync(int index)
    {
        _agents[index].KillHard();
        await _agents[index].WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    /// <summary>Starts a killed agent again with the same port, work directory and flags.</summary>
    public async Task<ManagedProcess> StartAgentAgainAsync(int index)
    {
        await _agents[index].DisposeAsync().ConfigureAwait(false);
        var (resources, extraArgs) = _agentStarts[index];
        return await StartAgentAsync(resources, extraArgs, index, AgentUrls[index].Port).ConfigureAwait(false);
    }

    public Task<ManagedProcess> StartAgentAsync(string resources, params string[] extraArgs) =>
        StartAgentAsync(resources, extraArgs, index: null, port: null);

    private async Task<ManagedProcess> StartAgentAsync(string resources, string[] extraArgs, int? index, int? port)
    {
        var restart = index is not null;
        var slot = index ?? _agents.Count;
        await StartAgentProcessAsync(resources, extraArgs, slot, port ?? FreePort.Next(), restart).ConfigureAwait(false);
        return _agents[slot];
    }

    private async Task StartAgentProcessAsync(string resources, string[] extraArgs, int index, int port, bool restart)
    {
        var agent = ManagedProcess.StartDotnet(
            $"agent{index}",
            AgentAssembly,
            ["--master", _proxy is null && _agentsKnowAllMasters ? string.Join(',', MasterUrls) : Master.ToString(), "--ip", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--work_dir", Path.Combine(Root, $"agent{index}"), "--resources", resources, .. extraArgs],
            _output);
        var url = new Uri($"http://127.0.0.1:{port}");
        if (restart)
        {
            _agents[index] = agent;
        }
        else
        {
            _agents.Add(agent);
            AgentUrls.Add(url);
            _agentStarts.Add((resources, extraArgs));
        }

        await Eventually.TrueAsync(
            async _ => !agent.HasExited && await IsHealthyAsync(new Uri(url, "/health")).ConfigureAwait(false),
            $"agent{index} to answer /health on {url}",
            TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    public Task<JsonObject> MasterStateAsync() => GetJsonAsync(new Uri(Master, "/master/state"));

    public async Task<JsonObject> GetJsonAsync(Uri url) =>
        await Http.GetFromJsonAsync<JsonObject>(url).ConfigureAwait(false)
        ?? throw new InvalidOperationException($"{url} answered null");

    /// <summary>True when the master's state.json shows nothing in use on the agent: every scalar of its
    /// used_resources summary is zero and no ports are held.</summary>
    public async Task<bool> AgentUsesNothingAsync(int agent = 0)
    {
        var used = (await MasterStateAsync().ConfigureAwait(false))["slaves"]![agent]!["used_resources"]!.AsObject();
        return used.All(p => p.Value is JsonValue v && v.TryGetValue<double>(out var amount) && amount == 0);
    }

    public Task WaitForAgentsAsync(int count) => Eventually.TrueAsync(
        async _ => (await MasterStateAsync().ConfigureAwait(false))["activated_slaves"]?.GetValue<int>() >= count,
        $"{count} agents to register with the master",
        TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var process in _agents.Concat(_masters))
        {
            await process.DisposeAsync().ConfigureAwait(false);
        }

        Http.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A task's process may still hold a file; the folder is under the system's temp directory.
        }
    }

    private async Task<bool> IsHealthyAsync(Uri url)
    {
        try
        {
            using var response = await Http.GetAsync(url).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static string Text(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
