using Mesos.Orleans.AgentHost.Connection;
using Mesos.Orleans.Interfaces.RecordIO;

namespace Mesos.Orleans.AgentHost.Usage;

/// <summary>The agent's open usage stream to the master: one long-lived POST to /api/v1/agent/usage whose
/// body is a RecordIO stream of USAGE calls, tied to one subscription (its Mesos-Stream-Id). When the master
/// ends it (a resubscription, a refused report) or the connection breaks, the reporter opens a new one.</summary>
public sealed class UsageStream : IDisposable
{
    private readonly RecordIoStreamContent _content = new();
    private readonly Task<HttpResponseMessage> _response;

    private UsageStream(MasterClient master, string streamId)
    {
        StreamId = streamId;
        _response = master.OpenUsageStreamAsync(_content, streamId);
    }

    public string StreamId { get; }

    /// <summary>False once the master has answered (it only answers when it ends the stream) or the request failed.</summary>
    public bool IsOpen => !_response.IsCompleted;

    public static UsageStream Open(MasterClient master, string streamId) => new(master, streamId);

    public void Send(byte[] call) => _content.Send(call);

    public void Dispose()
    {
        _content.Complete();
        if (_response.IsCompletedSuccessfully)
        {
            _response.Result.Dispose();
        }
        else
        {
            // Observed so that a failed request is not reported as an unobserved exception.
            _response.ContinueWith(t => t.Exception, TaskScheduler.Default);
        }
    }
}
