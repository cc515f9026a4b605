using System.Net;
using System.Text.Json.Nodes;

namespace Mesos.Orleans.IntegrationTests.BadInput;

/// <summary>Bad calls on the operator API, POST /api/v1 (mesos-http-api.md §1.2, §1.5, §4.1): Accept, wrong
/// JSON types, unknown names, invalid quota and weights, unknown frameworks and agents. Every refusal must
/// leave the state exactly as it was.</summary>
public sealed class OperatorApiBadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    [Theory]
    [InlineData("text/html")]
    [InlineData("application/json;q=0")]
    [InlineData("application/x-protobuf")]
    [InlineData("text/plain, image/*")]
    public async Task An_Accept_that_excludes_json_is_406_for_every_call(string accept)
    {
        foreach (var call in new[] { """{"type":"GET_HEALTH"}""", """{"type":"GET_STATE"}""", """{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"role":"accept-probe","weight":2}]}}""" })
        {
            var answer = await fixture.SendAsync("/api/v1", call, headers: [new("Accept", accept)]);
            Expect.Error(answer, HttpStatusCode.NotAcceptable, $"{call} with Accept: {accept}");
        }

        await AssertNoWeightAsync("accept-probe");
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("*/*")]
    [InlineData("application/*")]
    [InlineData("application/json")]
    [InlineData("text/html, application/json;q=0.5")]
    public async Task An_Accept_that_admits_json_is_served(string accept)
    {
        var answer = await fixture.SendAsync("/api/v1", """{"type":"GET_HEALTH"}""", headers: [new("Accept", accept)]);

        Expect.Status(answer, HttpStatusCode.OK);
        Assert.Equal("application/json", answer.ContentType);
    }

    [Theory]
    [InlineData("string for an object", """{"type":"UPDATE_WEIGHTS","update_weights":"heavy"}""")]
    [InlineData("number for the enum", """{"type":9}""")]
    [InlineData("array for a non-repeated field", """{"type":"TEARDOWN","teardown":{"framework_id":[{"value":"x"}]}}""")]
    [InlineData("object for a string", """{"type":"TEARDOWN","teardown":{"framework_id":{"value":{"v":1}}}}""")]
    [InlineData("string for a double", """{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"role":"wrong-type","weight":"heavy"}]}}""")]
    [InlineData("array for the quota map", """{"type":"UPDATE_QUOTA","update_quota":{"quota_configs":[{"role":"wrong-type","guarantees":[1,2]}]}}""")]
    [InlineData("bool for an int64", """{"type":"GET_METRICS","get_metrics":{"timeout":{"nanoseconds":true}}}""")]
    public async Task Wrong_json_types_are_400(string name, string json)
    {
        var answer = await fixture.OperatorCallAsync(json);

        Expect.Error(answer, HttpStatusCode.BadRequest, name);
        await AssertNoWeightAsync("wrong-type");
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task An_UNKNOWN_call_is_501_and_a_missing_or_unknown_type_is_400()
    {
        Expect.Error(await fixture.OperatorCallAsync("""{"type":"UNKNOWN"}"""), HttpStatusCode.NotImplemented);
        Expect.Error(await fixture.OperatorCallAsync("{}"), HttpStatusCode.BadRequest, "missing type");
        Expect.Error(await fixture.OperatorCallAsync("""{"type":"GET_EVERYTHING"}"""), HttpStatusCode.BadRequest, "an unknown name in the optional 'type' reads as unset");
        Expect.Error(await fixture.OperatorCallAsync("""{"type":null}"""), HttpStatusCode.BadRequest, "null means unset");
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("negative guarantee", """{"quota_configs":[{"role":"qa","guarantees":{"cpus":{"value":-1}}}]}""")]
    [InlineData("negative limit", """{"quota_configs":[{"role":"qa","limits":{"mem":{"value":-512}}}]}""")]
    [InlineData("NaN guarantee", """{"quota_configs":[{"role":"qa","guarantees":{"cpus":{"value":"NaN"}}}]}""")]
    [InlineData("NaN limit", """{"quota_configs":[{"role":"qa","limits":{"cpus":{"value":"NaN"}}}]}""")]
    [InlineData("guarantee above limit", """{"quota_configs":[{"role":"qa","guarantees":{"cpus":{"value":2}},"limits":{"cpus":{"value":1}}}]}""")]
    [InlineData("quota on '*'", """{"quota_configs":[{"role":"*","limits":{"cpus":{"value":1}}}]}""")]
    [InlineData("invalid role name", """{"quota_configs":[{"role":"../qa","limits":{"cpus":{"value":1}}}]}""")]
    [InlineData("missing role", """{"quota_configs":[{"limits":{"cpus":{"value":1}}}]}""")]
    [InlineData("one good, one bad", """{"force":true,"quota_configs":[{"role":"qa","limits":{"cpus":{"value":1}}},{"role":"qa2","limits":{"cpus":{"value":-1}}}]}""")]
    public async Task Invalid_UPDATE_QUOTA_is_400_and_changes_nothing(string name, string body)
    {
        var answer = await fixture.OperatorCallAsync($$"""{"type":"UPDATE_QUOTA","update_quota":{{body}}}""");

        Expect.Error(answer, HttpStatusCode.BadRequest, name);
        var quota = await fixture.OperatorJsonAsync("""{"type":"GET_QUOTA"}""");
        var configs = quota["get_quota"]?["status"]?["configs"]?.AsArray() ?? [];
        Assert.DoesNotContain(configs, c => c?["role"]?.GetValue<string>() is "qa" or "qa2");
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task UPDATE_QUOTA_without_its_body_is_400()
    {
        Expect.Error(await fixture.OperatorCallAsync("""{"type":"UPDATE_QUOTA"}"""), HttpStatusCode.BadRequest);
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("zero", "0")]
    [InlineData("negative", "-1.5")]
    [InlineData("NaN", "\"NaN\"")]
    [InlineData("infinite", "\"Infinity\"")]
    public async Task Invalid_UPDATE_WEIGHTS_is_400_and_changes_nothing(string name, string weight)
    {
        var answer = await fixture.OperatorCallAsync($$$"""{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"role":"ok-role","weight":2},{"role":"weighty","weight":{{{weight}}}}]}}""");

        Expect.Error(answer, HttpStatusCode.BadRequest, $"{name} weight");
        await AssertNoWeightAsync("ok-role");
        await AssertNoWeightAsync("weighty");
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("missing role", """{"weight_infos":[{"weight":2}]}""")]
    [InlineData("role ending in a slash", """{"weight_infos":[{"role":"weightless/","weight":2}]}""")]
    [InlineData("role with a '..' component", """{"weight_infos":[{"role":"a/../weightless","weight":2}]}""")]
    [InlineData("role with whitespace", """{"weight_infos":[{"role":"weight less","weight":2}]}""")]
    [InlineData("missing weight", """{"weight_infos":[{"role":"weightless"}]}""")]
    public async Task UPDATE_WEIGHTS_missing_or_invalid_fields_is_400(string name, string body)
    {
        Expect.Error(await fixture.OperatorCallAsync($$"""{"type":"UPDATE_WEIGHTS","update_weights":{{body}}}"""), HttpStatusCode.BadRequest, name);
        var weights = (await fixture.OperatorJsonAsync("""{"type":"GET_WEIGHTS"}"""))["get_weights"]?["weight_infos"]?.AsArray() ?? new JsonArray();
        Assert.DoesNotContain(weights, w => w?["role"]?.GetValue<string>().Contains("weight", StringComparison.Ordinal) == true);
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("""{"type":"TEARDOWN","teardown":{"framework_id":{"value":"no-such-framework"}}}""")]
    [InlineData("""{"type":"TEARDOWN","teardown":{}}""")]
    [InlineData("""{"type":"TEARDOWN"}""")]
    public async Task TEARDOWN_of_an_unknown_or_unnamed_framework_is_400(string json)
    {
        Expect.Error(await fixture.OperatorCallAsync(json), HttpStatusCode.BadRequest);
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task MARK_AGENT_GONE_of_an_unknown_agent_is_404()
    {
        Expect.Error(await fixture.OperatorCallAsync("""{"type":"MARK_AGENT_GONE","mark_agent_gone":{"agent_id":{"value":"no-such-agent"}}}"""), HttpStatusCode.NotFound);
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("""{"type":"MARK_AGENT_GONE"}""", "Expecting 'mark_agent_gone' to be present")]
    [InlineData("""{"type":"MARK_AGENT_GONE","mark_agent_gone":{}}""", "Missing required fields: mark_agent_gone.agent_id")]
    public async Task MARK_AGENT_GONE_without_an_agent_is_400(string json, string because)
    {
        Expect.Error(await fixture.OperatorCallAsync(json), HttpStatusCode.BadRequest, $"Mesos: {because}");
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("""{"type":"DEACTIVATE_AGENT","deactivate_agent":{"agent_id":{"value":"no-such-agent"}}}""")]
    [InlineData("""{"type":"DEACTIVATE_AGENT","deactivate_agent":{}}""")]
    [InlineData("""{"type":"DEACTIVATE_AGENT"}""")]
    [InlineData("""{"type":"REACTIVATE_AGENT","reactivate_agent":{"agent_id":{"value":"no-such-agent"}}}""")]
    [InlineData("""{"type":"REACTIVATE_AGENT","reactivate_agent":{"agent_id":{"value":"$AGENT"}}}""")]
    [InlineData("""{"type":"DRAIN_AGENT","drain_agent":{"agent_id":{"value":"no-such-agent"}}}""")]
    [InlineData("""{"type":"DRAIN_AGENT"}""")]
    public async Task Agent_lifecycle_calls_naming_an_unknown_or_active_agent_are_400(string template)
    {
        Expect.Error(await fixture.OperatorCallAsync(fixture.Fill(template)), HttpStatusCode.BadRequest);
        await fixture.AssertMasterStillServesAsync();
        await fixture.AssertOffersStillFlowAsync();
    }

    private async Task AssertNoWeightAsync(string role)
    {
        var weights = await fixture.OperatorJsonAsync("""{"type":"GET_WEIGHTS"}""");
        var infos = weights["get_weights"]?["weight_infos"]?.AsArray() ?? new JsonArray();
        Assert.DoesNotContain(infos, w => w?["role"]?.GetValue<string>() == role);
    }
}
