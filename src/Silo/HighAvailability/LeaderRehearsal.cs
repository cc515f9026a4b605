using System.Net.Http.Headers;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.RecordIO;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Mesos.Orleans.Silo.HighAvailability;

/// <summary>
/// A standby's dress rehearsal of leading, once, soon after it starts: a throwaway leader built exactly as a
/// takeover builds one (same host, same core) but on an in-memory registry and a loopback port of its own,
/// which a few dozen agents register and reregister with and a framework subscribes to, over HTTP. A .NET
/// process compiles each method the first time it runs and again, optimised, once it is hot; without the
/// rehearsal a new leader did that for its whole serving path while ten thousand agents were reconnecting
/// (with 10,000 agents, 45% of the new leader's CPU in its first seconds went to the JIT). The rehearsal
/// writes nothing anywhere and is never seen by agents or frameworks; if it fails the standby only logs it.
/// </summary>
public static class LeaderRehearsal
{
    /// <summary>Agents that register and then reregister: past the runtime's call count (30) for their paths.</summary>
    private const int Agents = 48;

    private static readonly List<Resource> AgentResources = ResourceBag.Parse("cpus:4;mem:4096;ports:[31000-31099]").ToWire(ResourceFormat.Endpoint);

    public static async Task RunAsync(string[] args, MasterOptions options, ILogger log, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var rehearsal = options.WithTerm(1);
        rehearsal.Ip = "127.0.0.1";
        rehearsal.Port = 0;
        rehearsal.Registry = "in_memory";
        MasterHost.LeaderApp? leader = null;
        try
        {
            leader = await MasterHost.BuildLeaderAsync([.. args, "--Logging:LogLevel:Default=None"], rehearsal, new InMemoryRegistry(), snapshot: null, ha: null, cancellationToken);
            await leader.App.StartAsync(cancellationToken);
            var address = new Uri(leader.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            var ids = new AgentId?[Agents];
            for (var round = 0; round < 2; round++)
            {
                for (var i = 0; i < Agents; i++)
                {
                    ids[i] = await SubscribeAgentAsync(http, i, ids[i], cancellationToken);
                }
            }

            await SubscribeFrameworkAsync(http, cancellationToken);
            log.LogInformation("Rehearsed leading in {Elapsed:F0} ms", TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogInformation("The leader rehearsal did not finish ({Error}); this master will compile its leader code on takeover", e.Message);
        }
        finally
        {
            if (leader is not null)
            {
                await leader.App.StopAsync(CancellationToken.None);
                await leader.App.DisposeAsync();
                await leader.Master.DisposeAsync();
            }
        }
    }

    /// <summary>An agent's SUBSCRIBE, read up to its SUBSCRIBED event; the agent's ID.</summary>
    private static async Task<AgentId?> SubscribeAgentAsync(HttpClient http, int index, AgentId? id, CancellationToken cancellationToken)
    {
        var call = new AgentCall
        {
            Type = AgentCallType.SUBSCRIBE,
            AgentId = id,
            Subscribe = new AgentSubscribe
            {
                AgentInfo = new AgentInfo { Id = id, Hostname = $"rehearsal-{index}", Port = 5051, Resources = AgentResources },
                AgentUrl = new Url { Scheme = "http", Address = new Address { Hostname = $"rehearsal-{index}", Ip = "127.0.0.1", Port = 5051 }, Path = "/slave(1)" },
                BootId = "rehearsal",
            },
        };
        var first = await FirstEventAsync(http, "/api/v1/agent", MesosJson.SerializeToUtf8(call), cancellationToken);
        return first is null ? null : MesosJson.Deserialize<AgentEvent>(first)?.Subscribed?.AgentId;
    }

    private static async Task SubscribeFrameworkAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var call = new Call { Type = CallType.SUBSCRIBE, Subscribe = new SubscribeCall { FrameworkInfo = new FrameworkInfo { User = "rehearsal", Name = "rehearsal" } } };
        _ = await FirstEventAsync(http, "/api/v1/scheduler", MesosJson.SerializeToUtf8(call), cancellationToken);
    }

    /// <summary>Opens a subscription stream and reads its first record, then drops the stream.</summary>
    private static async Task<byte[]?> FirstEventAsync(HttpClient http, string path, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await new RecordIoReader(stream).ReadAsync(cancellationToken);
    }
}
