using System.Reflection;
using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Mesos.Orleans.UnitTests.Serialization;

/// <summary>Grain calls carry the Mesos wire types with Orleans' own generated serializers: every wire type has
/// one, and a call, an agent's update and an operator view come through a round trip exactly as they went in
/// (compared as the JSON the HTTP API would write), opaque JSON members included.</summary>
public sealed class WireTypeSerializationTests
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(serializer => serializer.AddMesosWireTypes())
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    [Fact]
    public void Every_wire_type_has_a_generated_orleans_serializer()
    {
        var namespaces = new[] { typeof(Call).Namespace, typeof(AgentCall).Namespace, typeof(OperatorCall).Namespace, typeof(TaskInfo).Namespace };
        var missing = typeof(Call).Assembly.GetExportedTypes()
            .Where(t => namespaces.Contains(t.Namespace) && t.IsClass && !(t.IsAbstract && t.IsSealed)) // static classes are helpers
            .Where(t => !t.IsDefined(typeof(GenerateSerializerAttribute), inherit: false))
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void An_accept_call_launching_a_task_with_a_container_survives_a_round_trip()
    {
        RoundTrips<Call>("""
            {"framework_id":{"value":"f-1"},"type":"ACCEPT","accept":{"offer_ids":[{"value":"o-1"}],
             "operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"web","task_id":{"value":"t-1"},"agent_id":{"value":"a-1"},
               "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.5},"allocation_info":{"role":"web"}},
                            {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":31002}]},
                             "reservations":[{"type":"DYNAMIC","role":"web","principal":"ops","labels":{"labels":[{"key":"k","value":"v"}]}}]}],
               "command":{"value":"sleep 10","environment":{"variables":[{"name":"A","value":"1"}]}},
               "container":{"type":"MESOS","mesos":{"image":{"type":"DOCKER","docker":{"name":"nginx:1"}}},"volumes":[{"container_path":"/d","mode":"RW"}]},
               "labels":{"labels":[{"key":"team","value":"a"}]}}]}}],
             "filters":{"refuse_seconds":2.5}}}
            """);
    }

    [Fact]
    public void An_agent_status_update_with_its_uuid_survives_a_round_trip()
    {
        RoundTrips<AgentCall>("""
            {"type":"UPDATE","agent_id":{"value":"a-1"},"update":{"framework_id":{"value":"f-1"},
             "status":{"task_id":{"value":"t-1"},"state":"TASK_RUNNING","source":"SOURCE_EXECUTOR","agent_id":{"value":"a-1"},
               "timestamp":1765000000.25,"uuid":"AAECAwQFBgcICQoLDA0ODw==","healthy":true,"message":"up"}}}
            """);
    }

    [Fact]
    public void An_operator_view_of_agents_survives_a_round_trip()
    {
        RoundTrips<OperatorResponse>("""
            {"type":"GET_AGENTS","get_agents":{"agents":[{"agent_info":{"hostname":"h1","port":5051,"id":{"value":"a-1"},
               "attributes":[{"name":"rack","type":"TEXT","text":{"value":"r1"}}],
               "resources":[{"name":"mem","type":"SCALAR","scalar":{"value":1024}}]},
               "active":true,"deactivated":false,"version":"1.11.0","pid":"slave(1)@127.0.0.1:5051",
               "registered_time":{"nanoseconds":1765000000000000000},
               "total_resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":4}}],
               "allocated_resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":1},"allocation_info":{"role":"web"}}]}],
             "recovered_agents":[]}}
            """);
    }

    private static void RoundTrips<T>(string json)
        where T : class
    {
        var value = MesosJson.Deserialize<T>(json)!;
        var expected = MesosJson.Serialize(value);

        var copy = Serializer.Deserialize<T>(Serializer.SerializeToArray(value));

        Assert.NotNull(copy);
        Assert.NotSame(value, copy);
        Assert.Equal(expected, MesosJson.Serialize(copy));
        Assert.True(expected.Length > json.Length / 2, $"The fixture lost most of its fields when read: {expected}");
    }
}
