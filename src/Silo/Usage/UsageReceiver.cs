using Mesos.Orleans.Grains.Master;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Usage;

namespace Mesos.Orleans.Silo.Usage;

/// <summary>
/// The master's own receiver of agents' usage streams, on a port of its own (<c>--usage_port</c>, advertised
/// to agents in SUBSCRIBED as <c>usage_url</c>). Each agent sends a small report every few seconds on a
/// connection of its own; through Kestrel, each report woke the socket engine, a thread-pool worker for the
/// receive, another for the chunked-body pump and a third for the reader — with ten thousand agents, most of
/// what a report cost the master was waking up for it. Here one thread, once a tick, asks the kernel which of
/// the streams have bytes (epoll) and reads those, many reports per wake-up, without
/// the thread pool. Reports are applied by the master on its own 100 ms rhythm anyway, so the tick adds no
/// latency anyone sees. The protocol is the same HTTP/1.1 POST of a RecordIO body as on the main port.
/// </summary>
public sealed class UsageReceiver : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>Bytes read from one stream per tick at most, so that one flooding agent cannot starve the rest.</summary>
    private const int MaxBytesPerStreamPerTick = 256 * 1024;

    private readonly Socket _listener;
    private readonly ConcurrentQueue<Socket> _accepted = new();
    private readonly Dictionary<int, UsageStreamConnection> _streams = [];

    /// <summary>Streams that stopped at the per-tick bound with bytes left: epoll (edge-triggered) will not
    /// name them again until more arrive, so they are read again at the next tick.</summary>
    private List<UsageStreamConnection> _unfinished = [];
    private List<UsageStreamConnection> _unfinishedNext = [];
    private readonly Epoll _epoll = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _buffer = new byte[64 * 1024];
    private LocalMaster? _local;
    private ILogger? _logger;
    private Thread? _thread;
    private Task? _accepting;
    private int _disposed;

    private UsageReceiver(Socket listener) => _listener = listener;

    /// <summary>Whether this system has one (it asks epoll; elsewhere agents use the main port).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The port bound (the one asked for, or the one the system picked for 0).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Binds the port now, so that its number can be advertised before the master starts.</summary>
    public static UsageReceiver Bind(string ip, int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Parse(ip), port));
            listener.Listen(4096);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new UsageReceiver(listener);
    }

    /// <summary>Starts accepting streams and handing their reports to the master core active in this process
    /// (<paramref name="local"/>); agents are told this receiver's address by that core only.</summary>
    public void Start(LocalMaster local, ILogger logger)
    {
        _local = local;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "usage-receiver" };
        _thread.Start();
        _accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);

                // Read only by the tick's non-blocking receives: never registered with the runtime's socket engine.
                socket.Blocking = false;
                socket.NoDelay = true;
                _accepted.Enqueue(socket);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                _logger?.LogDebug("Accepting a usage stream failed: {Error}", e.Message);
            }
        }
    }

    private void Run()
    {
        var ready = new List<int>();
        while (!_stop.Token.WaitHandle.WaitOne(Tick))
        {
            while (_accepted.TryDequeue(out var socket))
            {
                if (_local!.Current is not { } master)
                {
                    // The master moved to another silo; the agent resubscribes and learns its new receiver.
                    UsageStreamConnection.Close(socket, CallResult.Unavailable("The master is not active on this silo"));
                    continue;
                }

                var stream = new UsageStreamConnection(socket, master);
                try
                {
                    _epoll.Add(stream.Fd);
                    _streams[stream.Fd] = stream;
                }
                catch (IOException e)
                {
                    _logger?.LogWarning("Could not take a usage stream: {Error}", e.Message);
                    stream.Close(CallResult.Unavailable("The master cannot take more usage streams"));
                }
            }

            if (_streams.Count == 0)
            {
                continue;
            }

            ready.Clear();
            try
            {
                _epoll.Ready(ready);
            }
            catch (IOException e)
            {
                _logger?.LogWarning("Polling the usage streams failed: {Error}", e.Message);
                continue;
            }

            (_unfinished, _unfinishedNext) = (_unfinishedNext, _unfinished);
            _unfinishedNext.Clear();
            foreach (var stream in _unfinished)
            {
                stream.Unfinished = false;
                ReadAndKeep(stream);
            }

            foreach (var fd in ready)
            {
                if (_streams.TryGetValue(fd, out var stream) && !stream.Unfinished)
                {
                    ReadAndKeep(stream);
                }
            }
        }

        foreach (var stream in _streams.Values)
        {
            _epoll.Remove(stream.Fd);
            stream.Close(CallResult.Unavailable("The master is stopping"));
        }

        _streams.Clear();
        while (_accepted.TryDequeue(out var socket))
        {
            socket.Dispose();
        }
    }

    /// <summary>Reads what the stream has; forgets it when it has ended, and notes it for the next tick when
    /// it still has bytes.</summary>
    private void ReadAndKeep(UsageStreamConnection stream)
    {
        switch (ReadSafely(stream))
        {
            case StreamOutcome.Ended:
                _streams.Remove(stream.Fd);
                break;
            case StreamOutcome.Unfinished:
                stream.Unfinished = true;
                _unfinishedNext.Add(stream);
                break;
        }
    }

    /// <summary>As <see cref="Read"/>; a fault in one stream ends that stream, never the receiver's thread
    /// (whose death would end the master).</summary>
    private StreamOutcome ReadSafely(UsageStreamConnection stream)
    {
        try
        {
            return Read(stream);
        }
        catch (Exception e)
        {
            _logger?.LogError(e, "Reading a usage stream failed");
            _epoll.Remove(stream.Fd);
            stream.Close(answer: null);
            return StreamOutcome.Ended;
        }
    }

    /// <summary>Reads what the stream has, and closes it when it has ended.</summary>
    private StreamOutcome Read(UsageStreamConnection stream)
    {
        var outcome = Drain(stream, out var answer);
        if (outcome == StreamOutcome.Ended)
        {
            _epoll.Remove(stream.Fd);
            stream.Close(answer);
        }

        return outcome;
    }

    /// <summary>Reads what the stream has, up to the per-tick bound; when it has ended, <paramref name="answer"/>
    /// is what to give (null: nothing, the connection is gone).</summary>
    private StreamOutcome Drain(UsageStreamConnection stream, out CallResult? answer)
    {
        var master = stream.Master;
        answer = null;
        var total = 0;
        while (total < MaxBytesPerStreamPerTick)
        {
            var read = stream.Socket.Receive(_buffer, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return StreamOutcome.Open;
            }

            if (error != SocketError.Success)
            {
                return StreamOutcome.Ended;
            }

            if (read == 0)
            {
                // The agent closed its side: answer if the body was whole, else just close.
                answer = stream.Parser.End() is null ? stream.Refusal ?? CallResult.Accepted : null;
                return StreamOutcome.Ended;
            }

            total += read;
            if (stream.Refusal is { } refused)
            {
                // The master refused a report of this stream (the agent resubscribed, say): say so at the next one.
                answer = refused;
                return StreamOutcome.Ended;
            }

            var broken = stream.Parser.Feed(_buffer.AsSpan(0, read), stream.Take);
            if (broken is not null)
            {
                master.CountRejectedUsageReport();
                answer = broken;
                return StreamOutcome.Ended;
            }

            if (stream.Parser.Completed)
            {
                answer = stream.Refusal ?? CallResult.Accepted;
                return StreamOutcome.Ended;
            }

            if (read < _buffer.Length)
            {
                // A short read emptied the socket's queue: rather than a second receive to hear "would block",
                // leave it to epoll, which names the stream again when more bytes arrive.
                return StreamOutcome.Open;
            }
        }

        return StreamOutcome.Unfinished;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        _listener.Dispose();
        _thread?.Join();
        _epoll.Dispose();
        _accepting?.ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
