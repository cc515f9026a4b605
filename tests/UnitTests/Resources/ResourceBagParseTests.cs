using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Resources;

public sealed class ResourceBagParseTests
{
    private static readonly ResourceReservation[] Eng = [ResourceReservation.Static("eng")];

    [Fact]
    public void Parses_the_agent_flag_syntax()
    {
        var bag = ResourceBag.Parse("cpus:4;mem:1024;disk:2048;ports:[31000-32000,33000-33010];gpus:0;cpus(eng):2;foo:{a,b,c}");

        Assert.Equal(FixedPoint.FromInt64(6), bag.ScalarOf("cpus"));
        Assert.Equal(FixedPoint.FromInt64(4), bag.Unreserved().ScalarOf("cpus"));
        Assert.Equal(FixedPoint.FromInt64(2), bag.Reserved("eng").ScalarOf("cpus"));
        Assert.Equal(FixedPoint.FromInt64(1024), bag.ScalarOf("mem"));
        Assert.Equal(FixedPoint.FromInt64(2048), bag.ScalarOf("disk"));
        Assert.Equal("[31000-32000, 33000-33010]", bag.Ranges("ports").ToString());
        Assert.Equal(["a", "b", "c"], bag.SetOf("foo"));
        Assert.DoesNotContain("gpus", bag.Names);
        Assert.Equal(6, bag.Count);
        Assert.True(bag.TryGetValue(new ResourceKey("cpus", ResourceValueType.SCALAR, Eng), out var reserved));
        Assert.Equal(FixedPoint.FromInt64(2), reserved.Scalar);
    }

    [Fact]
    public void Whitespace_star_role_fractions_and_repeats_are_accepted()
    {
        var bag = ResourceBag.Parse(" cpus(*) : 0.5 ; cpus:1.25;; mem ( eng/backend ):1e3; ports:[ 1 - 2 , 3-4 ];");

        Assert.Equal(FixedPoint.FromMilli(1750), bag.Unreserved().ScalarOf("cpus"));
        Assert.Equal(FixedPoint.FromInt64(1000), bag.Reserved("eng/backend").ScalarOf("mem"));
        Assert.Equal(ValueRangeSet.Of(1, 4), bag.Ranges("ports"));
    }

    [Fact]
    public void Default_role_reserves_resources_without_an_explicit_role()
    {
        var bag = ResourceBag.Parse("cpus:2;mem(*):10;disk(ops):5", defaultRole: "eng");

        Assert.Equal(FixedPoint.FromInt64(2), bag.Reserved("eng").ScalarOf("cpus"));
        Assert.Equal(FixedPoint.FromInt64(10), bag.Unreserved().ScalarOf("mem"));
        Assert.Equal(FixedPoint.FromInt64(5), bag.Reserved("ops").ScalarOf("disk"));
    }

    [Fact]
    public void Empty_text_is_an_empty_bag()
    {
        Assert.True(ResourceBag.Parse("").IsEmpty);
        Assert.True(ResourceBag.Parse(" ; ").IsEmpty);
        Assert.Same(ResourceBag.Empty, ResourceBag.Parse("cpus:0;ports:[];s:{}"));
    }

    [Fact]
    public void To_string_round_trips_through_parse()
    {
        var bag = ResourceBag.Parse("cpus:4;mem:1024.5;ports:[31000-32000,33000-33010];cpus(eng):2;foo:{c,a,b};disk(eng/backend):0.001");

        var text = bag.ToString();

        Assert.Equal("cpus:4; mem:1024.5; ports:[31000-32000, 33000-33010]; cpus(eng):2; foo:{a, b, c}; disk(eng/backend):0.001", text);
        Assert.Equal(bag, ResourceBag.Parse(text));
    }

    [Fact]
    public void Parses_the_json_array_form()
    {
        const string json = """
            [
              {"name":"cpus","type":"SCALAR","scalar":{"value":2.5}},
              {"name":"mem","type":"SCALAR","scalar":{"value":512},"role":"eng"},
              {"name":"disk","type":"SCALAR","scalar":{"value":100},"reservations":[{"type":"STATIC","role":"eng"}]},
              {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":1,"end":5}]}},
              {"name":"zones","type":"SET","set":{"item":["x","y"]}}
            ]
            """;

        var bag = ResourceBag.Parse(json);

        Assert.Equal(ResourceBag.Parse("cpus:2.5;mem(eng):512;disk(eng):100;ports:[1-5];zones:{x,y}"), bag);
    }

    [Fact]
    public void Json_form_applies_the_default_role()
    {
        var bag = ResourceBag.Parse("""[{"name":"cpus","type":"SCALAR","scalar":{"value":1}}]""", "eng");

        Assert.Equal(ResourceBag.Parse("cpus(eng):1"), bag);
    }

    [Theory]
    [InlineData("cpus", "missing or extra ':' in 'cpus'")]
    [InlineData("cpus:1:2", "missing or extra ':' in 'cpus:1:2'")]
    [InlineData("cpus:", "Missing value for resource 'cpus'")]
    [InlineData(":4", "Empty resource name in ':4'")]
    [InlineData("cpus(eng:4", "mismatched parentheses in 'cpus(eng:4'")]
    [InlineData("cpus)eng(:4", "mismatched parentheses")]
    [InlineData("cpus(eng)x:4", "mismatched parentheses")]
    [InlineData("cpus(-eng):4", "starts with a dash")]
    [InlineData("cpus():4", "Empty role name")]
    [InlineData("cpus(a b):4", "whitespace")]
    [InlineData("cpus(eng/):4", "slash")]
    [InlineData("cpus(eng/*):4", "'*' cannot be part")]
    [InlineData("cpus(..):4", "'..'")]
    [InlineData("cpus:-1", "value < 0")]
    [InlineData("cpus:NaN", "NaN")]
    [InlineData("cpus:Infinity", "infinite")]
    [InlineData("cpus:1e300", "too large")]
    [InlineData("cpus:four", "'four' is not a number")]
    [InlineData("ports:[2-1]", "begin > end in '2-1'")]
    [InlineData("ports:[1-2", "Bad value for resource 'ports' in 'ports:[1-2'")]
    [InlineData("foo:{a,b", "mismatched braces")]
    [InlineData("foo:{a,a}", "duplicated elements")]
    [InlineData("cpus:1;cpus:[1-2]", "same name ('cpus') but different types")]
    [InlineData("cpus:1;cpus(eng):{a}", "same name ('cpus') but different types")]
    public void Malformed_text_is_rejected_with_a_message_naming_the_bad_part(string text, string expected)
    {
        var e = Assert.Throws<ResourceFormatException>(() => ResourceBag.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_default_role_is_rejected()
    {
        var e = Assert.Throws<ResourceFormatException>(() => ResourceBag.Parse("cpus:1", "bad role"));
        Assert.Contains("default role", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"name":"cpus","type":"SCALAR","scalar":{"value":1}""", "not formatted properly")]
    [InlineData("""[{"name":"cpus","type":"SCALAR","scalar":{"value":-1}}]""", "value < 0")]
    [InlineData("""[{"name":"cpus","type":"SCALAR","scalar":{"value":1},"role":"eng","reservation":{"principal":"p"}}]""", "Dynamic reservations cannot be specified")]
    [InlineData("""[{"name":"cpus","type":"SCALAR","scalar":{"value":1},"revocable":{}}]""", "Revocable resources cannot be specified")]
    [InlineData("""[{"name":"disk","type":"SCALAR","scalar":{"value":1},"disk":{"persistence":{"id":"v"}}}]""", "Persistent volumes cannot be specified")]
    [InlineData("""[{"name":"cpus","type":"SCALAR","scalar":{"value":1}},{"name":"cpus","type":"SET","set":{"item":["a"]}}]""", "different types")]
    public void Bad_json_is_rejected(string json, string expected)
    {
        var e = Assert.Throws<ResourceFormatException>(() => ResourceBag.Parse(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
