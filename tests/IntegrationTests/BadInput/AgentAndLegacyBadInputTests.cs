using System.Net;

namespace Mesos.Orleans.IntegrationTests.BadInput;

/// <summary>Bad calls on the agent protocol (POST /api/v1/agent, docs/agent-protocol.md) and bad requests
/// to the GET endpoints tools scrape (mesos-http-api.md §1.6, §4.4). A refused agent call must not disturb
/// the registered agent; the read-only endpoints ignore what they do not use, as Mesos's do.</summary>
public sealed class AgentAndLegacyBadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    public static readonly TheoryData<string> GetEndpoints =
        ["/master/state", "/state", "/metrics/snapshot", "/metrics", "/flags", "/master/flags", "/health", "/master/health", "/version", "/master/redirect", "/redirect"];

    [Theory]
    [InlineData("SUBSCRIBE without subscribe", """{"type":"SUBSCRIBE"}""")]
    [InlineData("SUBSCRIBE without hostname", """{"type":"SUBSCRIBE","subscribe":{"agent_info":{"resources":[]},"agent_url":{"scheme":"http","address":{"ip":"127.0.0.1","port":1}}}}""")]
    [InlineData("SUBSCRIBE without agent_url", """{"type":"SUBSCRIBE","subscribe":{"agent_info":{"hostname":"ghost"}}}""")]
    [InlineData("SUBSCRIBE with negative resources", """{"type":"SUBSCRIBE","subscribe":{"agent_info":{"hostname":"ghost","resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":-4}}]},"agent_url":{"scheme":"http","address":{"ip":"127.0.0.1","port":1}}}}""")]
    [InlineData("SUBSCRIBE with NaN resources", """{"type":"SUBSCRIBE","subscribe":{"agent_info":{"hostname":"ghost","resources":[{"name":"mem","type":"SCALAR","scalar":{"value":"NaN"}}]},"agent_url":{"scheme":"http","address":{"ip":"127.0.0.1","port":1}}}}""")]
    [InlineData("UPDATE without agent_id", """{"type":"UPDATE","update":{"framework_id":{"value":"$FID"},"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING"}}}""")]
    [InlineData("UPDATE from an unknown agent", """{"type":"UPDATE","agent_id":{"value":"no-such-agent"},"update":{"framework_id":{"value":"$FID"},"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING"}}}""")]
    [InlineData("missing type", """{"agent_id":{"value":"$AGENT"}}""")]
    [InlineData("unknown type", """{"type":"TELEPORT","agent_id":{"value":"$AGENT"}}""")]
    [InlineData("number for the type", """{"type":2,"agent_id":{"value":"$AGENT"}}""")]
    [InlineData("string for an id", """{"type":"UPDATE","agent_id":"$AGENT"}""")]
    public async Task Invalid_agent_calls_are_400(string name, string template)
    {
        var answer = await fixture.SendAsync("/api/v1/agent", fixture.Fill(template));

        Expect.Error(answer, HttpStatusCode.BadRequest, name);
        await AssertNoGhostAgentAsync();
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-agents-stream")]
    public async Task An_UPDATE_for_the_real_agent_without_its_stream_id_is_400_and_changes_nothing(string? streamId)
    {
        var from = fixture.EventCount;
        var json = fixture.Fill("""{"type":"UPDATE","agent_id":{"value":"$AGENT"},"update":{"framework_id":{"value":"$FID"},"status":{"task_id":{"value":"forged"},"state":"TASK_FAILED"}}}""");

        var answer = await fixture.SendAsync("/api/v1/agent", json, headers: streamId is null ? null : [new("Mesos-Stream-Id", streamId)]);

        Expect.Error(answer, HttpStatusCode.BadRequest);
        await fixture.AssertMasterStillServesAsync();

        // The forged update must not have reached the framework.

        await Assert.ThrowsAsync<TimeoutException>(() => fixture.WaitForEventAsync(
            from, e => e.Update?.Status?.TaskId?.Value == "forged", "the forged update", TimeSpan.FromMilliseconds(300)));
    }

    [Theory]
    [MemberData(nameof(GetEndpoints))]
    public async Task Get_endpoints_ignore_unknown_query_parameters_accept_headers_and_bodies(string path)
    {
        var expected = path.EndsWith("redirect", StringComparison.Ordinal) ? HttpStatusCode.TemporaryRedirect : HttpStatusCode.OK;

        var query = await fixture.SendAsync(path + "?foo=bar&&=&x", body: null, method: HttpMethod.Get);
        var accept = await fixture.SendAsync(path, body: null, method: HttpMethod.Get, headers: [new("Accept", "image/png")]);
        var withBody = await fixture.SendAsync(path, body: "{ not json", contentType: "text/plain", method: HttpMethod.Get);

        Expect.Status(query, expected, "unknown query parameters");
        Expect.Status(accept, expected, "Accept: image/png (Mesos's read-only endpoints ignore Accept)");
        Expect.Status(withBody, expected, "a GET with a garbage body");
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [MemberData(nameof(GetEndpoints))]
    public async Task Other_methods_on_a_get_endpoint_are_served_or_refused_with_a_reason(string path)
    {
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete })
        {
            var answer = await fixture.SendAsync(path, """{"type":"GET_HEALTH"}""", method: method);

            // Mesos's read-only handlers do not look at the method (they answer as for GET). Refusing is
            // acceptable too, but only as a 405 naming GET with a plain-text reason (§1.5: never an empty error body).
            if (answer.Status != HttpStatusCode.OK && answer.Status != HttpStatusCode.TemporaryRedirect)
            {
                Expect.Error(answer, HttpStatusCode.MethodNotAllowed, $"{method} {path}");
                Expect.Allows(answer, "GET");
            }
        }

        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task A_bad_metrics_timeout_is_400_and_a_good_one_is_served()
    {
        // libprocess's /metrics/snapshot parses ?timeout= with Duration::parse: "Invalid timeout '...'" (400).
        Expect.Error(await fixture.SendAsync("/metrics/snapshot?timeout=soon", body: null, method: HttpMethod.Get), HttpStatusCode.BadRequest);
        Expect.Status(await fixture.SendAsync("/metrics/snapshot?timeout=5secs", body: null, method: HttpMethod.Get), HttpStatusCode.OK);
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task Redirect_sub_paths_are_404_and_redirect_keeps_an_explicit_port()
    {
        var sub = await fixture.SendAsync("/master/redirect/../../etc/passwd", body: null, method: HttpMethod.Get);
        var redirect = await fixture.SendAsync("/master/redirect?x=%ZZ", body: null, method: HttpMethod.Get);

        Expect.Status(sub, HttpStatusCode.NotFound);
        Expect.Status(redirect, HttpStatusCode.TemporaryRedirect);
        Assert.Matches(@"^//[^/:]+:\d+$", redirect.Headers.Location?.OriginalString ?? string.Empty);
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task A_huge_query_string_and_header_are_refused_without_harm()
    {
        var longQuery = await RawHttp.SendAsync(fixture.Master, $"GET /master/state?q={new string('a', 100_000)} HTTP/1.1\r\nHost: x\r\n\r\n");
        var longHeader = await RawHttp.SendAsync(fixture.Master, $"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: {new string('b', 100_000)}\r\n\r\n");

        Assert.True(longQuery is null || longQuery.Status is 200 or 414 or 431 or 400, $"a 100 kB query got {longQuery}");
        Assert.True(longHeader is null || longHeader.Status is 200 or 431 or 400, $"a 100 kB header got {longHeader}");
        await fixture.AssertMasterStillServesAsync();
    }

    private async Task AssertNoGhostAgentAsync()
    {
        var agents = await fixture.OperatorJsonAsync("""{"type":"GET_AGENTS"}""");
        var list = agents["get_agents"]?["agents"]?.AsArray() ?? [];
        Assert.DoesNotContain(list, a => a?["agent_info"]?["hostname"]?.GetValue<string>() == "ghost");
        Assert.Single(list);
    }
}
