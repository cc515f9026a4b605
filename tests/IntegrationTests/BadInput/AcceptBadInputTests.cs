using System.Net;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.IntegrationTests.BadInput;

/// <summary>ACCEPT calls that parse but cannot be carried out: Mesos answers them 202 and reports each task
/// on the stream, TASK_LOST (REASON_INVALID_OFFERS) for bad offers and TASK_ERROR (REASON_TASK_INVALID) for
/// bad tasks, both from SOURCE_MASTER without a uuid (reliability.md §2.3, mesos-http-api.md §8 "ACCEPT
/// processing"). Nothing may be launched and the offer's resources must come back.</summary>
public sealed class AcceptBadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private const string Cpus = """{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}}""";
    private const string Mem = """{"name":"mem","type":"SCALAR","scalar":{"value":16}}""";

    [Fact]
    public async Task An_unknown_offer_is_202_then_TASK_LOST_with_REASON_INVALID_OFFERS()
    {
        var status = await AcceptAsync(["no-such-offer"], Task("stale-offer-task", fixture.AgentId, Cpus, Mem));

        AssertMasterUpdate(status, TaskState.TASK_LOST, TaskStatusReason.REASON_INVALID_OFFERS);
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task A_duplicated_offer_id_is_202_then_TASK_LOST_and_the_offer_comes_back()
    {
        var offer = await TakeOfferAsync();

        var status = await AcceptAsync([offer.Id!.Value, offer.Id.Value], Task("dup-offer-task", fixture.AgentId, Cpus, Mem));

        AssertMasterUpdate(status, TaskState.TASK_LOST, TaskStatusReason.REASON_INVALID_OFFERS);
        await fixture.AssertMasterStillServesAsync();
        await fixture.WaitForOfferAsync();
    }

    [Fact]
    public async Task An_offer_used_twice_is_202_then_TASK_LOST_the_second_time()
    {
        var offer = await TakeOfferAsync();
        var first = await AcceptAsync([offer.Id!.Value], Task("first-use", fixture.AgentId, """{"name":"cpus","type":"SCALAR","scalar":{"value":1000}}"""));
        Assert.Equal(TaskState.TASK_ERROR, first.State);

        var second = await AcceptAsync([offer.Id.Value], Task("second-use", fixture.AgentId, Cpus, Mem));

        AssertMasterUpdate(second, TaskState.TASK_LOST, TaskStatusReason.REASON_INVALID_OFFERS);
        await fixture.AssertMasterStillServesAsync();
    }

    [Theory]
    [InlineData("negative scalar", """{"name":"cpus","type":"SCALAR","scalar":{"value":-1}}""")]
    [InlineData("NaN scalar", """{"name":"cpus","type":"SCALAR","scalar":{"value":"NaN"}}""")]
    [InlineData("infinite scalar", """{"name":"cpus","type":"SCALAR","scalar":{"value":"Infinity"}}""")]
    [InlineData("more than offered", """{"name":"cpus","type":"SCALAR","scalar":{"value":1000}}""")]
    [InlineData("a resource the offer lacks", """{"name":"gpus","type":"SCALAR","scalar":{"value":1}}""")]
    [InlineData("ports outside the offer", """{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":1,"end":2}]}}""")]
    [InlineData("inverted port range", """{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31010,"end":31000}]}}""")]
    [InlineData("scalar given as ranges", """{"name":"cpus","type":"SCALAR","ranges":{"range":[{"begin":1,"end":2}]}}""")]
    public async Task A_task_with_invalid_resources_is_202_then_TASK_ERROR(string name, string resource)
    {
        var offer = await TakeOfferAsync();
        var taskId = "bad-res-" + name.Replace(' ', '-');

        var status = await AcceptAsync([offer.Id!.Value], Task(taskId, fixture.AgentId, resource, Mem));

        AssertMasterUpdate(status, TaskState.TASK_ERROR, TaskStatusReason.REASON_TASK_INVALID);
        await AssertNothingLaunchedAsync(taskId);
        await fixture.AssertMasterStillServesAsync();
        await fixture.WaitForOfferAsync();
    }

    [Theory]
    [InlineData("no resources", "no-resources", "$AGENT", "", """{"value":"true"}""")]
    [InlineData("another agent", "wrong-agent", "some-other-agent", Cpus, """{"value":"true"}""")]
    [InlineData("an id with a slash", "../escape", "$AGENT", Cpus, """{"value":"true"}""")]
    [InlineData("an empty id", "", "$AGENT", Cpus, """{"value":"true"}""")]
    [InlineData("neither command nor executor", "no-command", "$AGENT", Cpus, null)]
    public async Task An_invalid_task_is_202_then_TASK_ERROR(string name, string taskId, string agent, string resources, string? command)
    {
        var offer = await TakeOfferAsync();
        var task = fixture.Fill($$"""{"name":"{{name}}","task_id":{"value":"{{taskId}}"},"agent_id":{"value":"{{agent}}"},"resources":[{{resources}}]{{(command is null ? string.Empty : ",\"command\":" + command)}}}""");

        var status = await AcceptAsync([offer.Id!.Value], task, taskId);

        AssertMasterUpdate(status, TaskState.TASK_ERROR, TaskStatusReason.REASON_TASK_INVALID);
        await fixture.AssertMasterStillServesAsync();
        await fixture.WaitForOfferAsync();
    }

    [Fact]
    public async Task Duplicate_task_ids_in_one_accept_launch_the_first_and_TASK_ERROR_the_second()
    {
        var offer = await TakeOfferAsync();
        var from = fixture.EventCount;
        var first = Task("twin", fixture.AgentId, """{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}}""", Mem, command: "sleep 120");
        var second = Task("twin", fixture.AgentId, """{"name":"cpus","type":"SCALAR","scalar":{"value":0.2}}""", Mem, command: "sleep 120");

        var answer = await fixture.SchedulerCallAsync(AcceptJson([offer.Id!.Value], first, second));

        Expect.Status(answer, HttpStatusCode.Accepted);
        var error = (await fixture.WaitForEventAsync(
            from,
            e => e.Update?.Status is { TaskId.Value: "twin", State: TaskState.TASK_ERROR },
            "TASK_ERROR for the second 'twin'")).Update!.Status!;
        Assert.Equal(TaskStatusReason.REASON_TASK_INVALID, error.Reason);
        Assert.Equal(TaskStatusSource.SOURCE_MASTER, error.Source);
        var running = await fixture.WaitForEventAsync(from, e => e.Update?.Status is { TaskId.Value: "twin", State: TaskState.TASK_RUNNING }, "the first 'twin' to run");

        // A later ACCEPT reusing the id of the running task is refused the same way.
        var again = await AcceptAsync([(await TakeOfferAsync()).Id!.Value], Task("twin", fixture.AgentId, Cpus, Mem));
        Assert.Equal(TaskState.TASK_ERROR, again.State);

        // Tidy up: kill the running twin.
        var kill = await fixture.SchedulerCallAsync(fixture.Fill("""{"type":"KILL","framework_id":{"value":"$FID"},"kill":{"task_id":{"value":"twin"},"agent_id":{"value":"$AGENT"}}}"""));
        Expect.Status(kill, HttpStatusCode.Accepted);
        await fixture.WaitForEventAsync(from, e => e.Update?.Status is { TaskId.Value: "twin", State: TaskState.TASK_KILLED }, "the first 'twin' to be killed");
        Assert.NotNull(running);
        await fixture.AssertMasterStillServesAsync();
    }

    [Fact]
    public async Task Offers_keep_flowing_after_the_bad_accepts()
    {
        await fixture.AssertOffersStillFlowAsync();
        await fixture.AssertMasterStillServesAsync();
    }

    private async Task<Offer> TakeOfferAsync()
    {
        var offer = await fixture.WaitForOfferAsync();
        fixture.Forget(offer.Id!);
        return offer;
    }

    private static string Task(string id, string agent, string resource1, string? resource2 = null, string command = "true") =>
        $$$"""{"name":"{{{id}}}","task_id":{"value":"{{{id}}}"},"agent_id":{"value":"{{{agent}}}"},"resources":[{{{resource1}}}{{{(resource2 is null ? string.Empty : "," + resource2)}}}],"command":{"value":"{{{command}}}"}}""";

    private string AcceptJson(IEnumerable<string> offerIds, params string[] tasks)
    {
        var offers = string.Join(",", offerIds.Select(o => "{\"value\":\"" + o + "\"}"));
        return fixture.Fill(
            """{"type":"ACCEPT","framework_id":{"value":"$FID"},"accept":{"offer_ids":[""" + offers +
            """],"operations":[{"type":"LAUNCH","launch":{"task_infos":[""" + string.Join(",", tasks) +
            """]}}],"filters":{"refuse_seconds":0}}}""");
    }

    /// <summary>Sends the ACCEPT, expects 202, and returns the first status update for the (first) task.</summary>
    private async Task<TaskStatus> AcceptAsync(IEnumerable<string> offerIds, string task, string? taskId = null)
    {
        taskId ??= System.Text.Json.Nodes.JsonNode.Parse(task)!["task_id"]!["value"]!.GetValue<string>();
        var from = fixture.EventCount;

        var answer = await fixture.SchedulerCallAsync(AcceptJson(offerIds, task));

        Expect.Status(answer, HttpStatusCode.Accepted, "ACCEPT is answered 202; problems come back as status updates");
        return await fixture.WaitForUpdateAsync(from, taskId);
    }

    private static void AssertMasterUpdate(TaskStatus status, TaskState state, TaskStatusReason reason)
    {
        Assert.True(status.State == state, $"expected {state} but got {status.State} ({status.Reason}: {status.Message})");
        Assert.Equal(reason, status.Reason);
        Assert.Equal(TaskStatusSource.SOURCE_MASTER, status.Source);
        Assert.Null(status.Uuid);
        Assert.False(string.IsNullOrEmpty(status.Message), "the update should say what was wrong");
    }

    private async Task AssertNothingLaunchedAsync(string taskId)
    {
        var tasks = await fixture.OperatorJsonAsync("""{"type":"GET_TASKS"}""");
        var live = tasks["get_tasks"]?["tasks"]?.AsArray() ?? [];
        Assert.DoesNotContain(live, t => t?["task_id"]?["value"]?.GetValue<string>() == taskId);
    }
}
