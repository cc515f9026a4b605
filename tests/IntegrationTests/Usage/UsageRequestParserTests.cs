using System.Buffers;
using System.Text;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Silo.Usage;

namespace Mesos.Orleans.IntegrationTests.Usage;

/// <summary>The usage receiver's reader of a stream: HTTP/1.1 head, chunked or Content-Length body, RecordIO
/// records — whole whatever pieces the socket hands it, bounded, and with Mesos's statuses for bad input.</summary>
public sealed class UsageRequestParserTests
{
    private const string Head = "POST /api/v1/agent/usage HTTP/1.1\r\nHost: m\r\nContent-Type: application/recordio\r\nMesos-Stream-Id: s-1\r\n";

    [Fact]
    public void Records_of_a_chunked_stream_come_out_whole_however_the_bytes_are_split()
    {
        var records = new[] { "{\"a\":1}", "{\"type\":\"USAGE\",\"b\":[1,2,3]}", new string('x', 5000) };
        var body = string.Concat(records.Select(r => $"{Encoding.UTF8.GetByteCount(r)}\n{r}"));

        // Chunks that cut records (and their length lines) anywhere, with an extension and a trailer.
        var chunked = new StringBuilder();
        for (var i = 0; i < body.Length; i += 7)
        {
            var piece = body.Substring(i, Math.Min(7, body.Length - i));
            chunked.Append(System.Globalization.CultureInfo.InvariantCulture, $"{piece.Length:x};ext=1\r\n{piece}\r\n");
        }

        var bytes = Encoding.UTF8.GetBytes(Head + "Transfer-Encoding: chunked\r\n\r\n" + chunked + "0\r\nX-Trailer: 1\r\n\r\n");
        foreach (var split in new[] { 1, 3, 64, bytes.Length })
        {
            var parser = new UsageRequestParser();
            var seen = new List<string>();
            for (var i = 0; i < bytes.Length; i += split)
            {
                Assert.Null(parser.Feed(bytes.AsSpan(i, Math.Min(split, bytes.Length - i)), r => seen.Add(Encoding.UTF8.GetString(r.ToArray()))));
            }

            Assert.Equal(records, seen);
            Assert.True(parser.Completed);
            Assert.Null(parser.End());
            Assert.Equal("s-1", parser.StreamId);
        }
    }

    [Fact]
    public void A_body_of_a_content_length_is_read_to_its_end()
    {
        var parser = new UsageRequestParser();
        var seen = new List<string>();

        Assert.Null(parser.Feed(Encoding.UTF8.GetBytes(Head + "Content-Length: 11\r\n\r\n2\n{}4\n[1,2"), r => seen.Add(Encoding.UTF8.GetString(r.ToArray()))));

        Assert.Equal(["{}", "[1,2"], seen);
        Assert.False(parser.Completed); // one byte of the declared eleven is still to come
        Assert.NotNull(parser.End());
    }

    [Theory]
    [InlineData("GET /api/v1/agent/usage HTTP/1.1\r\nContent-Type: application/recordio\r\nTransfer-Encoding: chunked\r\n\r\n", 405)]
    [InlineData("POST /api/v1/agent HTTP/1.1\r\nContent-Type: application/recordio\r\nTransfer-Encoding: chunked\r\n\r\n", 404)]
    [InlineData("POST /api/v1/agent/usage HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", 415)]
    [InlineData("POST /api/v1/agent/usage HTTP/1.1\r\nContent-Type: application/recordio\r\n\r\n", 411)]
    [InlineData("POST /api/v1/agent/usage HTTP/1.1\r\nContent-Type: application/recordio\r\nTransfer-Encoding: gzip\r\n\r\n", 501)]
    [InlineData("POST /api/v1/agent/usage HTTP/1.1\r\nContent-Type: application/recordio\r\nContent-Length: -1\r\n\r\n", 400)]
    [InlineData("NONSENSE\r\n\r\n", 400)]
    [InlineData("POST /api/v1/agent/usage HTTP/1.1\r\nContent-Type: application/recordio\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400)]
    [InlineData("POST /api/v1/agent/usage HTTP/1.1\r\nContent-Type: application/recordio\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n1\n{}}\r\n", 400)]
    [InlineData("POST /api/v1/agent/usage HTTP/1.1\r\nContent-Type: application/recordio\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab\n\r\n", 400)]
    [InlineData("POST /api/v1/agent/usage HTTP/1.1\r\nContent-Type: application/recordio\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n9999999\n\r\n", 413)]
    public void Bad_requests_get_mesos_statuses(string request, int status)
    {
        var answer = new UsageRequestParser().Feed(Encoding.UTF8.GetBytes(request), _ => { });

        Assert.Equal(status, answer?.StatusCode);
    }

    [Fact]
    public void A_head_that_never_ends_is_refused_at_its_bound()
    {
        var parser = new UsageRequestParser();
        CallResult? answer = null;
        var header = Encoding.ASCII.GetBytes("X-Filler: " + new string('a', 1000) + "\r\n");
        Assert.Null(parser.Feed(Encoding.ASCII.GetBytes("POST /api/v1/agent/usage HTTP/1.1\r\n"), _ => { }));
        for (var i = 0; i < 100 && answer is null; i++)
        {
            answer = parser.Feed(header, _ => { });
        }

        Assert.Equal(431, answer?.StatusCode);
    }

    [Fact]
    public void A_stream_that_ends_inside_a_record_is_a_bad_request()
    {
        var parser = new UsageRequestParser();

        var answer = parser.Feed(Encoding.UTF8.GetBytes(Head + "Transfer-Encoding: chunked\r\n\r\n3\r\n5\n{\r\n0\r\n\r\n"), _ => Assert.Fail("no record"));

        Assert.Equal(400, answer?.StatusCode);
        Assert.Contains("inside a record", answer!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_agent_that_goes_away_between_records_ended_its_stream_early()
    {
        var parser = new UsageRequestParser();
        Assert.Null(parser.Feed(Encoding.UTF8.GetBytes(Head + "Transfer-Encoding: chunked\r\n\r\n4\r\n2\n{}\r\n"), _ => { }));

        Assert.False(parser.Completed);
        Assert.Equal(400, parser.End()?.StatusCode);
    }

}
