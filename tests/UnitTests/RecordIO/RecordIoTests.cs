using System.Text;
using Mesos.Orleans.Interfaces.RecordIO;

namespace Mesos.Orleans.UnitTests.RecordIO;

public sealed class RecordIoTests
{
    [Fact]
    public void Frame_prefixes_the_decimal_byte_length_and_a_newline()
    {
        var record = RecordIo.Frame("{\"type\":\"HEARTBEAT\"}"u8);

        Assert.Equal("20\n{\"type\":\"HEARTBEAT\"}", Encoding.UTF8.GetString(record));
    }

    [Fact]
    public void Frame_counts_bytes_not_characters()
    {
        var payload = Encoding.UTF8.GetBytes("\"é\"");

        Assert.Equal("4\n\"é\"", Encoding.UTF8.GetString(RecordIo.Frame(payload)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Reader_recovers_records_whatever_the_chunk_boundaries(int chunkSize)
    {
        string[] payloads = ["{\"type\":\"SUBSCRIBED\"}", "{\"type\":\"HEARTBEAT\"}", new string('x', 70_000), "{}"];
        var wire = payloads.SelectMany(p => RecordIo.Frame(Encoding.UTF8.GetBytes(p))).ToArray();
        var reader = new RecordIoReader(new ChunkedStream(wire, chunkSize));

        var read = new List<string>();
        await foreach (var record in reader.ReadAllAsync())
        {
            read.Add(Encoding.UTF8.GetString(record));
        }

        Assert.Equal(payloads, read);
    }

    [Theory]
    [InlineData("12a\n{}")]
    [InlineData("\n{}")]
    [InlineData("-2\n{}")]
    [InlineData("5\n{}")]
    [InlineData("123")]
    public async Task Reader_rejects_broken_framing(string wire)
    {
        var reader = new RecordIoReader(new MemoryStream(Encoding.ASCII.GetBytes(wire)));

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync());
    }

    [Fact]
    public async Task Reader_refuses_a_record_larger_than_its_limit_before_allocating_it()
    {
        var reader = new RecordIoReader(new MemoryStream(Encoding.ASCII.GetBytes("99999999999\n")), maxRecordBytes: 1024);

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync());
        Assert.Contains("1024", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reader_returns_null_at_a_clean_end()
    {
        var reader = new RecordIoReader(new MemoryStream());

        Assert.Null(await reader.ReadAsync());
    }

    /// <summary>Hands out at most <c>chunk</c> bytes a read, as a network stream may.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
