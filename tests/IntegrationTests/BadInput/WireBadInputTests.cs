using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Mesos.Orleans.IntegrationTests.BadInput;

/// <summary>Bodies that are not a Mesos call at all, thrown at every v1 POST endpoint: malformed and deeply
/// nested JSON, oversized bodies (with and without Content-Length), and broken HTTP framing. Mesos answers
/// 400 (plain-text reason) for anything that does not parse (mesos-http-api.md §1.3, §1.5); the CVEs in
/// reliability.md §2.4 (CVE-2018-1330 uncaught parse exception, CVE-2018-11793 deep nesting, CVE-2017-9790
/// empty path) are the crashes to avoid. After each case the master must still serve.</summary>
public sealed class WireBadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    public static readonly TheoryData<string> Endpoints = ["/api/v1/scheduler", "/api/v1", "/api/v1/agent"];

    public static TheoryData<string, string, string> MalformedBodies()
    {
        var data = new TheoryData<string, string, string>();
        var bodies = new Dictionary<string, string>
        {
            ["truncated"] = """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","na""",
            ["trailing garbage"] = """{"type":"GET_HEALTH"} trailing garbage""",
            ["two documents"] = """{"type":"GET_HEALTH"}{"type":"GET_HEALTH"}""",
            ["not JSON"] = "type=SUBSCRIBE&user=root",
            ["empty body"] = string.Empty,
            ["whitespace only"] = "  \r\n\t ",
            ["JSON null"] = "null",
            ["JSON string"] = "\"SUBSCRIBE\"",
            ["JSON number"] = "42",
            ["JSON array"] = """[{"type":"GET_HEALTH"}]""",
            ["single quotes"] = "{'type':'GET_HEALTH'}",
            ["comment"] = """{"type":"GET_HEALTH" /* hi */}""",
            ["bare NaN"] = """{"type":"GET_HEALTH","x":NaN}""",
            ["unterminated string"] = """{"type":"GET_HEALTH""",
            ["lone surrogate escape"] = """{"type":"GET_HEALTH","subscribe":{"framework_info":{"user":"\uD800","name":"x"}}}""",
        };
        foreach (var endpoint in Endpoints)
        {
            foreach (var (name, body) in bodies)
            {
                if (name == "lone surrogate escape" && endpoint != "/api/v1/scheduler")
                {
                    continue;
                }

                data.Add(endpoint, name, body);
            }

            // CVE-2018-1330: picojson threw on out-of-range numbers. Each in an integer field the call reads.
            data.Add(endpoint, "integer overflow", endpoint switch
            {
                "/api/v1/scheduler" => """{"type":"KILL","framework_id":{"value":"x"},"kill":{"task_id":{"value":"t"},"kill_policy":{"grace_period":{"nanoseconds":123456789012345678901234567890}}}}""",
                "/api/v1" => """{"type":"DRAIN_AGENT","drain_agent":{"agent_id":{"value":"x"},"max_grace_period":{"seconds":123456789012345678901234567890}}}""",
                _ => """{"type":"SUBSCRIBE","subscribe":{"agent_info":{"hostname":"ghost"},"agent_url":{"scheme":"http","address":{"ip":"127.0.0.1","port":123456789012345678901234567890}}}}""",
            });
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_body_that_is_not_a_call_is_400_with_a_reason(string endpoint, string name, string body)
    {
        var answer = await fixture.SendAsync(endpoint, body);

        Expect.Error(answer, HttpStatusCode.BadRequest, $"{name} body on {endpoint}");
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Invalid_utf8_in_a_string_the_call_uses_is_400_with_a_reason(string endpoint)
    {
        // RFC 8259 §8.1: JSON text is UTF-8. The bytes sit in a field each call really reads.
        var (before, after) = endpoint switch
        {
            "/api/v1/scheduler" => ("""{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":" """, "\"}}}"),
            "/api/v1" => ("""{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"weight":2,"role":" """, "\"}]}}"),
            _ => ("""{"type":"SUBSCRIBE","subscribe":{"agent_url":{"scheme":"http","address":{"ip":"127.0.0.1","port":1}},"agent_info":{"hostname":" """, "\"}}}"),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Master, endpoint))
        {
            Content = new ByteArrayContent([.. Encoding.UTF8.GetBytes(before.TrimEnd()), 0xFF, 0xFE, 0xC3, .. Encoding.UTF8.GetBytes(after)]),
        };

        var answer = await fixture.SendAsync(request);

        Expect.Error(answer, HttpStatusCode.BadRequest);
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Ten_thousand_levels_of_nesting_are_400_not_a_stack_overflow(string endpoint)
    {
        var arrays = new string('[', 10_000) + new string(']', 10_000);
        var objects = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);

        Expect.Error(await fixture.SendAsync(endpoint, arrays), HttpStatusCode.BadRequest, "10,000 nested arrays");
        Expect.Error(await fixture.SendAsync(endpoint, objects), HttpStatusCode.BadRequest, "10,000 nested objects");
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_hundred_levels_of_nesting_inside_a_valid_call_are_400(string endpoint)
    {
        // picojson (Mesos's parser since the CVE-2018-11793 fix) refuses more than 100 levels; ours refuses 64.
        var deep = new string('[', 100) + new string(']', 100);
        var call = endpoint switch
        {
            "/api/v1/scheduler" => """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"deep","labels":""" + deep + "}}}",
            "/api/v1" => """{"type":"GET_HEALTH","get_health":""" + deep + "}",
            _ => """{"type":"UPDATE","agent_id":{"value":"x"},"update":{"status":{"data":""" + deep + "}}}",
        };

        Expect.Error(await fixture.SendAsync(endpoint, call), HttpStatusCode.BadRequest);
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_body_over_16_MiB_with_content_length_is_refused_with_413(string endpoint)
    {
        const int size = (16 * 1024 * 1024) + 4096;
        var head = $"POST {endpoint} HTTP/1.1\r\nHost: {fixture.Master.Authority}\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n";

        var answer = await RawHttp.SendAsync(fixture.Master, head, (stream, ct) => WriteFillerAsync(stream, size, chunked: false, ct));

        Assert.True(answer is not null, "the master closed the connection without an answer");
        Assert.True(answer.Status == 413, $"expected 413 but the master answered {answer}");
        Assert.True(answer.Body.Trim().Length > 0, "the 413 answer has an empty body");
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_chunked_body_over_16_MiB_is_refused_with_413(string endpoint)
    {
        const int size = (16 * 1024 * 1024) + 4096;
        var head = $"POST {endpoint} HTTP/1.1\r\nHost: {fixture.Master.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";

        var answer = await RawHttp.SendAsync(fixture.Master, head, (stream, ct) => WriteFillerAsync(stream, size, chunked: true, ct));

        Assert.True(answer is not null, "the master closed the connection without an answer");
        Assert.True(answer.Status == 413, $"expected 413 but the master answered {answer}");
        Assert.True(answer.Body.Trim().Length > 0, "the 413 answer has an empty body");
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task A_chunked_call_with_trailers_is_served_normally()
    {
        // CVE-2018-1330: trailers crashed libprocess. Node's http client sends chunked bodies (§1.2).
        const string body = """{"type":"GET_HEALTH"}""";
        var head = $"POST /api/v1 HTTP/1.1\r\nHost: {fixture.Master.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n" +
                   $"{body.Length:x}\r\n{body}\r\n0\r\nX-Checksum: abc\r\n\r\n";

        var answer = await RawHttp.SendAsync(fixture.Master, head);

        Assert.True(answer is { Status: 200 }, $"expected 200 but the master answered {answer?.ToString() ?? "nothing"}");
        Assert.Contains("\"healthy\":true", answer!.Body, StringComparison.Ordinal);
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("garbage request line", "GARBAGE\r\n\r\n")]
    [InlineData("empty path", "POST  HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("path without leading slash", "POST api/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("bad chunk size", "POST /api/v1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")]
    [InlineData("negative content length", "POST /api/v1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n{}")]
    [InlineData("two content lengths", "POST /api/v1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")]
    public async Task Broken_http_framing_is_a_400_and_harms_nothing(string name, string request)
    {
        var answer = await RawHttp.SendAsync(fixture.Master, request);

        Assert.True(answer is { Status: 400 }, $"{name}: expected 400 but the master answered {answer?.ToString() ?? "nothing"}");
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_harms_nothing()
    {
        var head = $"POST /api/v1/scheduler HTTP/1.1\r\nHost: {fixture.Master.Authority}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n" +
                   """{"type":"SUBSCRIBE",""";
        var answer = await RawHttp.SendAsync(fixture.Master, head, async (stream, ct) =>
        {
            await stream.FlushAsync(ct);
            stream.Socket().Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });

        // The client half-closed mid-body: any 4xx (or no answer at all) is fine; a 5xx or a dead master is not.
        Assert.True(answer is null || answer.Status is >= 400 and < 500, $"the master answered {answer}");
        await fixture.AssertMasterStillServesAsync();
    }

    private static async Task WriteFillerAsync(Stream stream, int size, bool chunked, CancellationToken cancellationToken)
    {
        var block = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
        var prefix = Encoding.ASCII.GetBytes("""{"type":"SUBSCRIBE","x":" """);
        var written = 0;
        var first = true;
        while (written < size)
        {
            var payload = first ? [.. prefix, .. block[..^prefix.Length]] : block[..Math.Min(block.Length, size - written)];
            first = false;
            if (chunked)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{payload.Length:x}\r\n"), cancellationToken);
            }

            await stream.WriteAsync(payload, cancellationToken);
            if (chunked)
            {
                await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
            }

            written += payload.Length;
        }

        if (chunked)
        {
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
        }
    }
}

internal static class StreamSocketExtensions
{
    public static System.Net.Sockets.Socket Socket(this Stream stream) => ((System.Net.Sockets.NetworkStream)stream).Socket;
}
