using System.Text.Json;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Json;

public sealed class MesosJsonTests
{
    [Fact]
    public void Writes_snake_case_proto_names_enum_names_and_value_ids()
    {
        var call = new Call
        {
            Type = CallType.DECLINE,
            FrameworkId = new FrameworkId("f-1"),
            Decline = new DeclineCall { OfferIds = [new OfferId("o-1")], Filters = new Filters { RefuseSeconds = 10 } },
        };

        Assert.Equal(
            """{"framework_id":{"value":"f-1"},"type":"DECLINE","decline":{"offer_ids":[{"value":"o-1"}],"filters":{"refuse_seconds":10}}}""",
            MesosJson.Serialize(call));
    }

    [Fact]
    public void Omits_unset_fields_and_empty_repeated_fields()
    {
        var offer = new Offer { Id = new OfferId("o"), Resources = [], ExecutorIds = [] };

        Assert.Equal("""{"id":{"value":"o"}}""", MesosJson.Serialize(offer));
    }

    [Fact]
    public void Writes_labels_with_their_doubled_nesting()
    {
        var info = new FrameworkInfo { Labels = new Labels { Items = [new Label { Key = "k", Value = "v" }] } };

        Assert.Equal("""{"labels":{"labels":[{"key":"k","value":"v"}]}}""", MesosJson.Serialize(info));
    }

    [Fact]
    public void Reads_nulls_at_any_depth_as_unset()
    {
        var call = MesosJson.Deserialize<Call>(
            """{"type":"SUBSCRIBE","framework_id":null,"subscribe":{"framework_info":{"user":"u","name":"n","id":null,"roles":null,"capabilities":null}}}""")!;

        Assert.Null(call.FrameworkId);
        Assert.Null(call.Subscribe!.FrameworkInfo!.Id);
        Assert.Null(call.Subscribe.FrameworkInfo.Roles);
        Assert.Equal("u", call.Subscribe.FrameworkInfo.User);
    }

    [Fact]
    public void Ignores_unknown_keys()
    {
        var call = MesosJson.Deserialize<Call>("""{"type":"REVIVE","future_field":{"deep":[1,2,3]},"revive":{"roles":["a"],"x":1}}""")!;

        Assert.Equal(CallType.REVIVE, call.Type);
        Assert.Equal(["a"], call.Revive!.Roles!);
    }

    [Fact]
    public void An_unknown_enum_name_in_an_optional_field_reads_as_unset()
    {
        var status = MesosJson.Deserialize<TaskStatus>("""{"task_id":{"value":"t"},"state":"TASK_FROM_THE_FUTURE","source":"SOURCE_MASTER"}""")!;

        Assert.Null(status.State);
        Assert.Equal(TaskStatusSource.SOURCE_MASTER, status.Source);
    }

    [Fact]
    public void A_json_number_for_an_enum_is_rejected_as_in_Mesos()
    {
        Assert.Throws<JsonException>(() => MesosJson.Deserialize<Call>("""{"type":3}"""));
    }

    [Fact]
    public void A_numeric_string_is_not_taken_for_an_enum_name()
    {
        Assert.Null(MesosJson.Deserialize<Call>("""{"type":"3"}""")!.Type);
    }

    [Fact]
    public void Accepts_a_single_value_where_a_list_is_expected()
    {
        var decline = MesosJson.Deserialize<DeclineCall>("""{"offer_ids":{"value":"o-1"}}""")!;

        Assert.Equal([new OfferId("o-1")], decline.OfferIds!);
    }

    [Fact]
    public void Reads_numbers_from_strings_and_infinity()
    {
        var filters = MesosJson.Deserialize<Filters>("""{"refuse_seconds":"7.5"}""")!;
        var scalar = MesosJson.Deserialize<Scalar>("""{"value":"Infinity"}""")!;

        Assert.Equal(7.5, filters.RefuseSeconds);
        Assert.True(double.IsPositiveInfinity(scalar.Value));
    }

    [Fact]
    public void Bytes_are_base64_both_ways()
    {
        var uuid = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var json = MesosJson.Serialize(new AcknowledgeCall { Uuid = uuid });

        Assert.Equal("""{"uuid":"AAECAwQFBgcICQoLDA0ODw=="}""", json);
        Assert.Equal(uuid, MesosJson.Deserialize<AcknowledgeCall>(json)!.Uuid);
    }

    [Fact]
    public void Escapes_non_ascii_so_length_counting_clients_agree()
    {
        var json = MesosJson.Serialize(new ErrorEvent { Message = "é" });

        Assert.Equal("""{"message":"\u00E9"}""", json);
    }

    [Fact]
    public void Rejects_documents_nested_deeper_than_any_message()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200);

        Assert.Throws<JsonException>(() => MesosJson.Deserialize<Call>(deep));
    }

    [Fact]
    public void Rejects_an_array_for_a_non_repeated_field()
    {
        Assert.Throws<JsonException>(() => MesosJson.Deserialize<Call>("""{"type":"KILL","kill":[{"task_id":{"value":"t"}}]}"""));
    }
}
