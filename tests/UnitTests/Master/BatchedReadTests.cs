using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Testing.Waiting;

namespace Mesos.Orleans.UnitTests.Master;

/// <summary>A silo's readers of a view held by another silo's master share each call, and never an answer the
/// master may have built before they asked.</summary>
public sealed class BatchedReadTests
{
    [Fact]
    public async Task Readers_that_arrive_while_a_call_is_out_share_the_next_call()
    {
        var calls = new List<TaskCompletionSource<byte[]>>();
        var read = new BatchedRead(() =>
        {
            lock (calls)
            {
                calls.Add(new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously));
                return calls[^1].Task;
            }
        });

        var first = read.ReadAsync();
        var second = read.ReadAsync();
        var third = read.ReadAsync();
        Assert.Equal(1, Count(calls)); // the second call waits for the first to return

        calls[0].SetResult([1]);
        Assert.Equal([1], await first);
        await Eventually.TrueAsync(_ => Task.FromResult(Count(calls) == 2), "the next call to be sent");
        calls[1].SetResult([2]);

        Assert.Equal([2], await second);
        Assert.Same(await second, await third);
        Assert.Equal(2, Count(calls));
    }

    [Fact]
    public async Task A_failed_call_fails_its_readers_and_the_next_readers_send_again()
    {
        var answers = new Queue<Task<byte[]>>([Task.FromException<byte[]>(new TimeoutException("lost")), Task.FromResult<byte[]>([7])]);
        var read = new BatchedRead(() => answers.Dequeue());

        await Assert.ThrowsAsync<TimeoutException>(read.ReadAsync);

        Assert.Equal([7], await read.ReadAsync());
    }

    private static int Count(List<TaskCompletionSource<byte[]>> calls)
    {
        lock (calls)
        {
            return calls.Count;
        }
    }
}
