using System.Buffers;
using System.Net.Sockets;
using System.Text;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Usage;
using Microsoft.AspNetCore.WebUtilities;

namespace Mesos.Orleans.Silo.Usage;

/// <summary>One agent's usage stream on the <see cref="UsageReceiver"/>: its socket, its parser, and the
/// master's verdict on its reports.</summary>
internal sealed class UsageStreamConnection
{
    private readonly MasterCore _master;

    /// <summary>The master core this stream's reports go to.</summary>
    public MasterCore Master => _master;

    public UsageStreamConnection(Socket socket, MasterCore master)
    {
        Socket = socket;
        Fd = (int)socket.Handle;
        _master = master;

        // Made once: the parser hands each record of the stream to it.
        Take = TakeRecord;
    }

    public Socket Socket { get; }

    /// <summary>The socket's descriptor, its key in the receiver.</summary>
    public int Fd { get; }

    public UsageRequestParser Parser { get; } = new();

    public UsageStreamState State { get; } = new();

    public CallResult? Refusal => State.Refusal;

    /// <summary>Hands a record to the master: read into a report if admitted, and queued.</summary>
    public Action<ReadOnlySequence<byte>> Take { get; }

    /// <summary>Whether the receiver stopped reading it at its per-tick bound and comes back next tick.</summary>
    public bool Unfinished { get; set; }

    private void TakeRecord(ReadOnlySequence<byte> record)
    {
        if (Http.AgentUsageApi.Admit(_master, record, State) is { } report)
        {
            _master.QueueUsageReport(report, Parser.StreamId, record.Length, State);
        }
    }

    /// <summary>Answers (when there is an answer to give) and closes: every answer ends the stream.</summary>
    public void Close(CallResult? answer) => Close(Socket, answer);

    /// <summary>Answers (when <paramref name="answer"/> is set) and closes a usage stream's socket.</summary>
    public static void Close(Socket socket, CallResult? answer)
    {
        try
        {
            if (answer is not null)
            {
                var message = answer.Message ?? string.Empty;
                var response = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {answer.StatusCode} {ReasonPhrases.GetReasonPhrase(answer.StatusCode)}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(message)}\r\nConnection: close\r\n\r\n");

                // A few hundred bytes into an idle socket's send buffer: a non-blocking send that does not wait.
                socket.Send([.. response, .. Encoding.UTF8.GetBytes(message)], SocketFlags.None, out _);
            }

            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Gone already: nothing to tell it.
        }

        socket.Dispose();
    }
}
