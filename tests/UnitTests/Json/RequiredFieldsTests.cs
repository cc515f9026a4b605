using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Scheduler;

namespace Mesos.Orleans.UnitTests.Json;

public sealed class RequiredFieldsTests
{
    [Fact]
    public void Names_missing_required_fields_at_any_depth_with_their_json_paths()
    {
        var call = MesosJson.Deserialize<Call>(
            """{"type":"ACCEPT","accept":{"operations":[{"type":"LAUNCH","launch":{"task_infos":[{"task_id":{"value":"t"},"agent_id":{},"resources":[{"name":"cpus","type":"BOGUS"}]}]}}]}}""")!;

        Assert.Equal(
            ["accept.operations[0].launch.task_infos[0].name", "accept.operations[0].launch.task_infos[0].agent_id.value", "accept.operations[0].launch.task_infos[0].resources[0].type"],
            RequiredFields.FindMissing(call));
    }

    [Fact]
    public void A_complete_message_lacks_nothing()
    {
        var call = MesosJson.Deserialize<Call>("""{"type":"KILL","framework_id":{"value":"f"},"kill":{"task_id":{"value":"t"}}}""")!;

        Assert.Empty(RequiredFields.FindMissing(call));
    }
}
