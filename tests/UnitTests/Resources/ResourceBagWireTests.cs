using System.Text.Json.Nodes;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Resources;

public sealed class ResourceBagWireTests
{
    private static readonly ResourceReservation Alice = ResourceReservation.Dynamic("eng", "alice", [new ResourceLabel("k", "v")]);

    private static ResourceBag Sample() =>
        ResourceBag.Parse("cpus:4;ports:[31000-31010];cpus(eng):2;zones:{a,b}")
        + ResourceBag.Of(new ResourceKey("mem", ResourceValueType.SCALAR, [Alice]), ResourceValue.FromScalar(512));

    private static List<Resource> Json(string json) => MesosJson.Deserialize<List<Resource>>(json)!;

    private static JsonArray ToJson(ResourceBag bag, ResourceFormat format) =>
        JsonNode.Parse(MesosJson.Serialize(bag.ToWire(format)))!.AsArray();

    [Fact]
    public void Post_refinement_output_has_only_the_reservation_stack()
    {
        var json = ToJson(Sample(), ResourceFormat.PostRefinement);

        Assert.Equal("""{"name":"cpus","type":"SCALAR","scalar":{"value":4}}""", json[0]!.ToJsonString());
        Assert.Equal(
            """{"name":"cpus","type":"SCALAR","scalar":{"value":2},"reservations":[{"type":"STATIC","role":"eng"}]}""",
            json[2]!.ToJsonString());
        Assert.Equal(
            """{"name":"mem","type":"SCALAR","scalar":{"value":512},"reservations":[{"type":"DYNAMIC","role":"eng","principal":"alice","labels":{"labels":[{"key":"k","value":"v"}]}}]}""",
            json[4]!.ToJsonString());
        Assert.Equal("""{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":31010}]}}""", json[1]!.ToJsonString());
        Assert.Equal("""{"name":"zones","type":"SET","set":{"item":["a","b"]}}""", json[3]!.ToJsonString());
    }

    [Fact]
    public void Pre_refinement_output_always_has_a_role_and_a_legacy_reservation_for_dynamic()
    {
        var json = ToJson(Sample(), ResourceFormat.PreRefinement);

        Assert.Equal("""{"name":"cpus","type":"SCALAR","scalar":{"value":4},"role":"*"}""", json[0]!.ToJsonString());
        Assert.Equal("""{"name":"cpus","type":"SCALAR","scalar":{"value":2},"role":"eng"}""", json[2]!.ToJsonString());
        Assert.Equal(
            """{"name":"mem","type":"SCALAR","scalar":{"value":512},"role":"eng","reservation":{"principal":"alice","labels":{"labels":[{"key":"k","value":"v"}]}}}""",
            json[4]!.ToJsonString());
    }

    [Fact]
    public void Endpoint_output_has_both()
    {
        var json = ToJson(Sample(), ResourceFormat.Endpoint);

        Assert.Equal("""{"name":"cpus","type":"SCALAR","scalar":{"value":4},"role":"*"}""", json[0]!.ToJsonString());
        Assert.Equal(
            """{"name":"cpus","type":"SCALAR","scalar":{"value":2},"role":"eng","reservations":[{"type":"STATIC","role":"eng"}]}""",
            json[2]!.ToJsonString());
        Assert.Equal(
            """{"name":"mem","type":"SCALAR","scalar":{"value":512},"role":"eng","reservation":{"principal":"alice","labels":{"labels":[{"key":"k","value":"v"}]}},"reservations":[{"type":"DYNAMIC","role":"eng","principal":"alice","labels":{"labels":[{"key":"k","value":"v"}]}}]}""",
            json[4]!.ToJsonString());
    }

    [Theory]
    [InlineData(ResourceFormat.PreRefinement)]
    [InlineData(ResourceFormat.PostRefinement)]
    [InlineData(ResourceFormat.Endpoint)]
    public void Every_format_round_trips_through_json(ResourceFormat format)
    {
        var bag = Sample().WithAllocationRole("eng");

        var wire = MesosJson.Serialize(bag.ToWire(format));
        var back = ResourceBag.FromWire(Json(wire));

        Assert.Equal(bag, back);
        Assert.Contains("\"allocation_info\":{\"role\":\"eng\"}", wire, StringComparison.Ordinal);
    }

    [Fact]
    public void Refined_reservations_cannot_be_written_pre_refinement()
    {
        var refined = ResourceBag.Parse("cpus(eng):2").PushReservation(ResourceReservation.Dynamic("eng/backend", "bob"));

        Assert.True(refined.HasRefinedReservations);
        Assert.Throws<InvalidOperationException>(() => refined.ToWire(ResourceFormat.PreRefinement));
        Assert.Equal(refined, ResourceBag.FromWire(refined.ToWire(ResourceFormat.PostRefinement)));
        var endpoint = refined.ToWire(ResourceFormat.Endpoint).Single();
        Assert.Equal("eng/backend", endpoint.Role);
        Assert.Equal("bob", endpoint.Reservation!.Principal);
        Assert.Equal(2, endpoint.Reservations!.Count);
        Assert.Equal(refined, ResourceBag.FromWire([endpoint]));
    }

    [Fact]
    public void All_three_input_formats_read_the_same()
    {
        var pre = Json("""[{"name":"cpus","type":"SCALAR","scalar":{"value":1},"role":"eng","reservation":{"principal":"alice"}}]""");
        var post = Json("""[{"name":"cpus","type":"SCALAR","scalar":{"value":1},"reservations":[{"type":"DYNAMIC","role":"eng","principal":"alice"}]}]""");
        var endpoint = Json("""[{"name":"cpus","type":"SCALAR","scalar":{"value":1},"role":"eng","reservation":{"principal":"alice"},"reservations":[{"type":"DYNAMIC","role":"eng","principal":"alice"}]}]""");
        var expected = ResourceBag.Of(
            new ResourceKey("cpus", ResourceValueType.SCALAR, [ResourceReservation.Dynamic("eng", "alice")]),
            ResourceValue.FromScalar(1));

        Assert.Equal(expected, ResourceBag.FromWire(pre));
        Assert.Equal(expected, ResourceBag.FromWire(post));
        Assert.Equal(expected, ResourceBag.FromWire(endpoint));
    }

    [Fact]
    public void Missing_or_star_role_is_unreserved_and_zero_scalars_are_dropped()
    {
        var wire = Json("""
            [{"name":"cpus","type":"SCALAR","scalar":{"value":1}},
             {"name":"cpus","type":"SCALAR","scalar":{"value":0.5},"role":"*"},
             {"name":"gpus","type":"SCALAR","scalar":{"value":0}},
             {"name":"ports","type":"RANGES","ranges":{}}]
            """);

        Assert.Equal(ResourceBag.Parse("cpus:1.5"), ResourceBag.FromWire(wire));
        Assert.Same(ResourceBag.Empty, ResourceBag.FromWire(null));
    }

    [Fact]
    public void Persistent_volumes_revocable_and_shared_survive_the_round_trip()
    {
        var wire = Json("""
            [{"name":"disk","type":"SCALAR","scalar":{"value":64},"role":"eng","reservation":{"principal":"p"},
              "disk":{"persistence":{"id":"vol1","principal":"p"},"volume":{"container_path":"data","mode":"RW"}},"shared":{}},
             {"name":"cpus","type":"SCALAR","scalar":{"value":2},"revocable":{}}]
            """);

        var bag = ResourceBag.FromWire(wire);

        var volume = bag.PersistentVolumes().Entries.Single().Key;
        Assert.Equal(new DiskPersistence("vol1", "p", "data", VolumeMode.RW), volume.Disk);
        Assert.True(volume.Shared);
        Assert.Equal(FixedPoint.FromInt64(2), bag.Revocable().ScalarOf("cpus"));
        Assert.Equal(bag, ResourceBag.FromWire(Json(MesosJson.Serialize(bag.ToWire(ResourceFormat.PostRefinement)))));
        Assert.Equal(bag, ResourceBag.FromWire(Json(MesosJson.Serialize(bag.ToWire(ResourceFormat.PreRefinement)))));
    }

    [Theory]
    [InlineData("""{"type":"SCALAR","scalar":{"value":1}}""", "Empty resource name")]
    [InlineData("""{"name":"cpus","scalar":{"value":1}}""", "Missing resource type")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":-0.5}}""", "value < 0")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":"NaN"}}""", "NaN")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":"Infinity"}}""", "infinite")]
    [InlineData("""{"name":"cpus","type":"SCALAR"}""", "Invalid scalar resource")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":1},"set":{"item":["a"]}}""", "Invalid scalar resource")]
    [InlineData("""{"name":"ports","type":"RANGES","scalar":{"value":1}}""", "Invalid ranges resource")]
    [InlineData("""{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":5,"end":1}]}}""", "begin > end")]
    [InlineData("""{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":1,"end":5},{"begin":3,"end":7}]}}""", "overlapping")]
    [InlineData("""{"name":"s","type":"SET","ranges":{"range":[]}}""", "Invalid set resource")]
    [InlineData("""{"name":"s","type":"SET","set":{"item":["a","a"]}}""", "duplicated")]
    [InlineData("""{"name":"t","type":"TEXT"}""", "Unsupported resource type TEXT")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":1},"reservations":[{"type":"STATIC","role":""}]}""", "empty role")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":1},"reservations":[{"type":"DYNAMIC"}]}""", "empty role")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":1},"reservations":[{"role":"eng"}]}""", "STATIC or DYNAMIC")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":1},"reservations":[{"type":"STATIC","role":"*"}]}""", "cannot reserve to role")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":1},"reservations":[{"type":"DYNAMIC","role":"eng"},{"type":"DYNAMIC","role":"ops"}]}""", "must be a descendant of 'eng'")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":1},"reservations":[{"type":"DYNAMIC","role":"eng"},{"type":"STATIC","role":"eng/a"}]}""", "STATIC reservation cannot refine")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":1},"role":"*","reservation":{"principal":"p"}}""", "cannot be dynamically reserved")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":1},"reservation":{"principal":"p"}}""", "cannot be dynamically reserved")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":1},"role":"a b"}""", "whitespace")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":1},"allocation_info":{"role":"/x"}}""", "Invalid allocation role")]
    [InlineData("""{"name":"cpus","type":"SCALAR","scalar":{"value":1},"disk":{}}""", "DiskInfo should not be set for cpus")]
    [InlineData("""{"name":"disk","type":"SCALAR","scalar":{"value":1},"disk":{"persistence":{}}}""", "without an id")]
    [InlineData("""{"name":"disk","type":"SCALAR","scalar":{"value":1},"shared":{}}""", "Only persistent volumes can be shared")]
    public void Invalid_wire_resources_are_rejected(string resource, string expected)
    {
        var wire = Json("[" + """{"name":"mem","type":"SCALAR","scalar":{"value":1}}""" + "," + resource + "]");

        var e = Assert.Throws<ResourceFormatException>(() => ResourceBag.FromWire(wire));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("Invalid resource #1", e.Message, StringComparison.Ordinal);
    }
}
