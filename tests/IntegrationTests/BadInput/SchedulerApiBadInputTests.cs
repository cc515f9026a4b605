using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mesos.Orleans.Interfaces.RecordIO;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Scheduler;
using Mesos.Orleans.Testing.Waiting;

namespace Mesos.Orleans.IntegrationTests.BadInput;

/// <summary>Bad calls on POST /api/v1/scheduler: methods, media types, Accept, wrong JSON types, unknown
/// enum names, missing required fields and the non-SUBSCRIBE envelope (mesos-http-api.md §1.2, §1.3, §1.5,
/// §2.4). Each must get Mesos's status and a plain-text reason, and leave the class's framework subscribed.</summary>
public sealed class SchedulerApiBadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private const string Subscribe = """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"probe"}}}""";

    [Theory]
    [InlineData("GET", "/api/v1/scheduler")]
    [InlineData("PUT", "/api/v1/scheduler")]
    [InlineData("DELETE", "/api/v1/scheduler")]
    [InlineData("PATCH", "/master/api/v1/scheduler")]
    [InlineData("GET", "/api/v1")]
    [InlineData("PUT", "/master/api/v1")]
    [InlineData("DELETE", "/api/v1")]
    [InlineData("GET", "/api/v1/agent")]
    [InlineData("PUT", "/api/v1/agent")]
    [InlineData("DELETE", "/api/v1/agent")]
    public async Task Other_methods_on_a_POST_endpoint_are_405_with_Allow_POST(string method, string path)
    {
        var answer = await fixture.SendAsync(path, method == "GET" ? null : Subscribe, method: new HttpMethod(method));

        Expect.Error(answer, HttpStatusCode.MethodNotAllowed);
        Expect.Allows(answer, "POST");
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("/api/v1/scheduler", null, HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/scheduler", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("/api/v1/scheduler", "application/x-protobuf", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("/api/v1/scheduler", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("/api/v1/scheduler", ";;;", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("/api/v1", null, HttpStatusCode.BadRequest)]
    [InlineData("/api/v1", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("/api/v1", "application/x-protobuf", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("/api/v1/agent", null, HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/agent", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("/api/v1/agent", "application/x-protobuf", HttpStatusCode.UnsupportedMediaType)]
    public async Task A_missing_or_foreign_content_type_is_refused(string path, string? contentType, HttpStatusCode expected)
    {
        var answer = await fixture.SendAsync(path, """{"type":"GET_HEALTH"}""", contentType);

        Expect.Error(answer, expected, $"Content-Type '{contentType ?? "(none)"}'");
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json;charset=UTF-8")]
    [InlineData("Application/JSON")]
    public async Task Json_with_parameters_or_other_case_is_accepted(string contentType)
    {
        var reconcile = fixture.Fill("""{"framework_id":{"value":"$FID"},"type":"RECONCILE","reconcile":{}}""");
        var scheduler = await fixture.SendAsync("/api/v1/scheduler", reconcile, contentType, headers: [new("Mesos-Stream-Id", fixture.StreamId)]);
        var @operator = await fixture.SendAsync("/api/v1", """{"type":"GET_HEALTH"}""", contentType);

        Expect.Status(scheduler, HttpStatusCode.Accepted, $"RECONCILE with Content-Type '{contentType}'");
        Expect.Status(@operator, HttpStatusCode.OK, $"GET_HEALTH with Content-Type '{contentType}'");
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/json;q=0")]
    [InlineData("application/x-protobuf")]
    [InlineData("text/*, image/png")]
    public async Task A_subscribe_whose_Accept_excludes_json_is_406(string accept)
    {
        var answer = await fixture.SendAsync("/api/v1/scheduler", Subscribe, headers: [new("Accept", accept)]);

        Expect.Error(answer, HttpStatusCode.NotAcceptable, $"Accept: {accept}");
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("string for an object", """{"type":"SUBSCRIBE","subscribe":"please"}""")]
    [InlineData("array for a non-repeated field", """{"type":"SUBSCRIBE","subscribe":{"framework_info":[{"user":"root","name":"x"}]}}""")]
    [InlineData("number for an enum", """{"type":1,"subscribe":{"framework_info":{"user":"root","name":"x"}}}""")]
    [InlineData("object for a string", """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":{"name":"root"},"name":"x"}}}""")]
    [InlineData("bool for a double", """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"x","failover_timeout":true}}}""")]
    [InlineData("string for a bool", """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"x","checkpoint":"yes"}}}""")]
    [InlineData("number for an id object", """{"type":"SUBSCRIBE","framework_id":7,"subscribe":{"framework_info":{"user":"root","name":"x"}}}""")]
    [InlineData("array for the call", """{"type":"DECLINE","framework_id":{"value":"$FID"},"decline":[[{"value":"o"}]]}""")]
    [InlineData("non-numeric string for a double", """{"type":"DECLINE","framework_id":{"value":"$FID"},"decline":{"offer_ids":[],"filters":{"refuse_seconds":"soon"}}}""")]
    [InlineData("uuid that is not base64", """{"type":"ACKNOWLEDGE","framework_id":{"value":"$FID"},"acknowledge":{"agent_id":{"value":"$AGENT"},"task_id":{"value":"t"},"uuid":"not base64!"}}""")]
    public async Task Wrong_json_types_are_400(string name, string template)
    {
        var answer = await fixture.SchedulerCallAsync(fixture.Fill(template));

        Expect.Error(answer, HttpStatusCode.BadRequest, name);
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("SUBSCRIBE without subscribe", """{"type":"SUBSCRIBE"}""")]
    [InlineData("SUBSCRIBE without framework_info", """{"type":"SUBSCRIBE","subscribe":{}}""")]
    [InlineData("SUBSCRIBE without framework_info.user", """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"name":"x"}}}""")]
    [InlineData("SUBSCRIBE without framework_info.name", """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root"}}}""")]
    [InlineData("SUBSCRIBE with user null", """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":null,"name":"x"}}}""")]
    [InlineData("SUBSCRIBE whose framework_id differs from framework_info.id", """{"type":"SUBSCRIBE","framework_id":{"value":"a"},"subscribe":{"framework_info":{"user":"root","name":"x","id":{"value":"b"}}}}""")]
    public async Task A_subscribe_missing_required_fields_is_400(string name, string json)
    {
        var answer = await fixture.SendAsync("/api/v1/scheduler", json);

        Expect.Error(answer, HttpStatusCode.BadRequest, name);
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("no framework_id", """{"type":"RECONCILE","reconcile":{}}""")]
    [InlineData("ACCEPT without accept", """{"type":"ACCEPT","framework_id":{"value":"$FID"}}""")]
    [InlineData("DECLINE without decline", """{"type":"DECLINE","framework_id":{"value":"$FID"}}""")]
    [InlineData("KILL without kill", """{"type":"KILL","framework_id":{"value":"$FID"}}""")]
    [InlineData("KILL without task_id", """{"type":"KILL","framework_id":{"value":"$FID"},"kill":{"agent_id":{"value":"$AGENT"}}}""")]
    [InlineData("ACKNOWLEDGE without acknowledge", """{"type":"ACKNOWLEDGE","framework_id":{"value":"$FID"}}""")]
    [InlineData("ACKNOWLEDGE without uuid", """{"type":"ACKNOWLEDGE","framework_id":{"value":"$FID"},"acknowledge":{"agent_id":{"value":"$AGENT"},"task_id":{"value":"t"}}}""")]
    [InlineData("ACKNOWLEDGE without task_id", """{"type":"ACKNOWLEDGE","framework_id":{"value":"$FID"},"acknowledge":{"agent_id":{"value":"$AGENT"},"uuid":"AAAAAAAAAAAAAAAAAAAAAA=="}}""")]
    [InlineData("ACKNOWLEDGE with a 15-byte uuid", """{"type":"ACKNOWLEDGE","framework_id":{"value":"$FID"},"acknowledge":{"agent_id":{"value":"$AGENT"},"task_id":{"value":"t"},"uuid":"AAAAAAAAAAAAAAAAAAAA"}}""")]
    [InlineData("ACKNOWLEDGE with a 17-byte uuid", """{"type":"ACKNOWLEDGE","framework_id":{"value":"$FID"},"acknowledge":{"agent_id":{"value":"$AGENT"},"task_id":{"value":"t"},"uuid":"AAAAAAAAAAAAAAAAAAAAAAA="}}""")]
    [InlineData("ACKNOWLEDGE with an empty uuid", """{"type":"ACKNOWLEDGE","framework_id":{"value":"$FID"},"acknowledge":{"agent_id":{"value":"$AGENT"},"task_id":{"value":"t"},"uuid":""}}""")]
    [InlineData("RECONCILE without reconcile", """{"type":"RECONCILE","framework_id":{"value":"$FID"}}""")]
    [InlineData("RECONCILE task without task_id", """{"type":"RECONCILE","framework_id":{"value":"$FID"},"reconcile":{"tasks":[{"agent_id":{"value":"$AGENT"}}]}}""")]
    [InlineData("ACCEPT task without name", """{"type":"ACCEPT","framework_id":{"value":"$FID"},"accept":{"offer_ids":[{"value":"no-such-offer"}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[{"task_id":{"value":"nameless"},"agent_id":{"value":"$AGENT"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}}],"command":{"value":"true"}}]}}]}}""")]
    public async Task A_call_missing_required_fields_is_400(string name, string template)
    {
        var answer = await fixture.SchedulerCallAsync(fixture.Fill(template));

        Expect.Error(answer, HttpStatusCode.BadRequest, $"{name} (Mesos: 'Failed to convert JSON into Call protobuf: Missing required fields' or 'Expecting ... to be present')");
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task An_unknown_enum_name_in_a_required_field_is_400()
    {
        // Resource.type is `required Value.Type type = 2`: stout refuses an unknown name there, so the whole
        // call fails to convert (mesos-http-api.md §1.3) before any offer is looked at.
        var json = fixture.Fill("""{"type":"ACCEPT","framework_id":{"value":"$FID"},"accept":{"offer_ids":[{"value":"no-such-offer"}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"bogus-type","task_id":{"value":"bogus-type"},"agent_id":{"value":"$AGENT"},"resources":[{"name":"cpus","type":"BOGUS","scalar":{"value":0.1}}],"command":{"value":"true"}}]}}]}}""");

        var answer = await fixture.SchedulerCallAsync(json);

        Expect.Error(answer, HttpStatusCode.BadRequest, "unknown enum name 'BOGUS' in the required field Resource.type");
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task An_unknown_enum_name_for_the_optional_call_type_reads_as_unset_and_is_400()
    {
        // Call.type is optional: the unknown name is dropped, so the call has no type -> 400, not 501.
        var answer = await fixture.SchedulerCallAsync(fixture.Fill("""{"type":"SUMMON","framework_id":{"value":"$FID"}}"""));

        Expect.Error(answer, HttpStatusCode.BadRequest);
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task An_unknown_enum_name_in_an_optional_field_is_dropped_and_the_subscribe_succeeds()
    {
        const string json = """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"unknown-capability","capabilities":[{"type":"TELEPATHY"},{"type":"PARTITION_AWARE"}]}}}""";
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Master, "/api/v1/scheduler")) { Content = new StringContent(json) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var timeout = new CancellationTokenSource(BadInputFixture.Patience);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new RecordIoReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var first = MesosJson.Deserialize<Event>((await reader.ReadAsync(timeout.Token))!);
        Assert.Equal(EventType.SUBSCRIBED, first!.Type);
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task An_UNKNOWN_call_type_is_501_and_a_missing_type_is_400()
    {
        Expect.Error(await fixture.SchedulerCallAsync(fixture.Fill("""{"type":"UNKNOWN","framework_id":{"value":"$FID"}}""")), HttpStatusCode.NotImplemented);
        Expect.Error(await fixture.SchedulerCallAsync(fixture.Fill("""{"framework_id":{"value":"$FID"}}""")), HttpStatusCode.BadRequest);
        Expect.Error(await fixture.SchedulerCallAsync("{}"), HttpStatusCode.BadRequest);
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task A_call_without_Mesos_Stream_Id_is_400()
    {
        var answer = await fixture.SendAsync("/api/v1/scheduler", fixture.Fill("""{"type":"RECONCILE","framework_id":{"value":"$FID"},"reconcile":{}}"""));

        Expect.Error(answer, HttpStatusCode.BadRequest);
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("some-other-stream")]
    [InlineData("")]
    public async Task A_call_with_the_wrong_Mesos_Stream_Id_is_400(string streamId)
    {
        var answer = await fixture.SchedulerCallAsync(fixture.Fill("""{"type":"RECONCILE","framework_id":{"value":"$FID"},"reconcile":{}}"""), streamId);

        Expect.Error(answer, HttpStatusCode.BadRequest);
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task A_call_for_an_unknown_framework_is_400()
    {
        var answer = await fixture.SchedulerCallAsync("""{"type":"RECONCILE","framework_id":{"value":"no-such-framework"},"reconcile":{}}""");

        Expect.Error(answer, HttpStatusCode.BadRequest, "Mesos: 'Framework cannot be found'");
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task A_call_for_a_disconnected_framework_is_403()
    {
        var gone = await TestScheduler.SubscribeAsync(fixture.Master, new FrameworkInfo { User = "root", Name = "disconnected", FailoverTimeout = 3600 });
        var id = gone.FrameworkId!.Value;
        var streamId = gone.StreamId;
        await gone.DisposeAsync();
        await Eventually.TrueAsync(
            async () =>
            {
                var frameworks = await fixture.OperatorJsonAsync("""{"type":"GET_FRAMEWORKS"}""");
                return frameworks["get_frameworks"]!["frameworks"]!.AsArray()
                    .Any(f => f!["framework_info"]!["id"]!["value"]!.GetValue<string>() == id && f["connected"]?.GetValue<bool>() == false);
            },
            "the master to see the framework disconnect",
            BadInputFixture.Patience);

        var call = $$$"""{"type":"RECONCILE","framework_id":{"value":"{{{id}}}"},"reconcile":{}}""";
        Expect.Error(await fixture.SchedulerCallAsync(call, streamId), HttpStatusCode.Forbidden, "Mesos: 'Framework is not subscribed'");
        Expect.Error(await fixture.SendAsync("/api/v1/scheduler", call), HttpStatusCode.Forbidden, "subscription is checked before the stream id (§2.4)");

        // Clean up: the operator tears it down.
        Expect.Status(await fixture.OperatorCallAsync("{\"type\":\"TEARDOWN\",\"teardown\":{\"framework_id\":{\"value\":\"" + id + "\"}}}"), HttpStatusCode.OK);
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task A_subscribe_with_a_Mesos_Stream_Id_header_is_400()
    {
        var resubscribe = fixture.Fill("""{"type":"SUBSCRIBE","framework_id":{"value":"$FID"},"subscribe":{"framework_info":{"user":"root","name":"bad-input","id":{"value":"$FID"},"failover_timeout":3600}}}""");

        var answer = await fixture.SendAsync("/api/v1/scheduler", resubscribe, headers: [new("Mesos-Stream-Id", fixture.StreamId)]);

        Expect.Error(answer, HttpStatusCode.BadRequest);

        // It must not have failed the existing subscription over.
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task Many_bad_calls_in_parallel_leave_the_master_serving()
    {
        var bodies = new[]
        {
            "{", "[]", "null", """{"type":1}""", """{"type":"SUBSCRIBE"}""",
            fixture.Fill("""{"type":"KILL","framework_id":{"value":"$FID"},"kill":{}}"""),
            fixture.Fill("""{"type":"ACKNOWLEDGE","framework_id":{"value":"$FID"},"acknowledge":{"agent_id":{"value":"$AGENT"},"task_id":{"value":"t"},"uuid":"AA=="}}"""),
        };
        var answers = await Task.WhenAll(Enumerable.Range(0, 140).Select(i => fixture.SchedulerCallAsync(bodies[i % bodies.Length])));

        Assert.All(answers, a => Expect.Error(a, HttpStatusCode.BadRequest));
        await fixture.AssertMasterStillServesAsync();
        await fixture.AssertOffersStillFlowAsync();
    }

    [Fact]
    public async Task A_double_out_of_range_in_a_filter_is_refused_or_clamped_never_a_crash()
    {
        var answer = await fixture.SchedulerCallAsync(fixture.Fill("""{"type":"DECLINE","framework_id":{"value":"$FID"},"decline":{"offer_ids":[{"value":"no-such-offer"}],"filters":{"refuse_seconds":1e400}}}"""));

        Assert.True(answer.Status is HttpStatusCode.Accepted or HttpStatusCode.BadRequest, $"the master answered {answer}");
        await fixture.AssertMasterStillServesAsync();
    }

    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
