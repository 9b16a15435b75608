using System.Text;

namespace TorchLoss.Reporting;

/// <summary>
/// Summary.Value messages for TensorBoard's plugins (field numbers from tensorboard/compat/proto/summary.proto,
/// tensor.proto, tensorboard/plugins/hparams/api.proto and plugin_data.proto, google/protobuf/struct.proto):
///   Value { string tag = 1; float simple_value = 2; TensorProto tensor = 8; SummaryMetadata metadata = 9; }
///   SummaryMetadata { PluginData plugin_data = 1; DataClass data_class = 4; }  PluginData { string plugin_name = 1; bytes content = 2; }
///   TensorProto { DataType dtype = 1; TensorShapeProto tensor_shape = 2; repeated bytes string_val = 8; }
///   HParamsPluginData { int32 version = 1; oneof { SessionStartInfo session_start_info = 3; SessionEndInfo session_end_info = 4; } }
///   SessionStartInfo { map&lt;string, google.protobuf.Value&gt; hparams = 1; string group_name = 4; double start_time_secs = 5; }
///   SessionEndInfo { Status status = 1; double end_time_secs = 2; }
///   google.protobuf.Value { oneof { double number_value = 2; string string_value = 3; bool bool_value = 4; } }
/// </summary>
internal static class TensorBoardSummaries
{
    const int DataClassTensor = 2;
    const int DtFloat = 1;
    const int DtString = 7;

    public static ProtoMessage Scalar(string tag, double value) => new ProtoMessage().String(1, tag).Float(2, (float)value);

    /// <summary>The text plugin's summary: a scalar DT_STRING tensor, rendered as markdown in the TEXT tab.</summary>
    public static ProtoMessage Text(string tag, string markdown) => new ProtoMessage()
        .String(1, tag)
        // TextPluginData { version = 0 } encodes to no bytes.
        .Message(9, Metadata("text", new ProtoMessage()))
        .Message(8, new ProtoMessage()
            .Varint(1, DtString)
            .Message(2, new ProtoMessage())
            .Bytes(8, Google.Protobuf.ByteString.CopyFrom(Encoding.UTF8.GetBytes(markdown))));

    /// <summary>The hyperparameters a session (run) ran with; values are strings, booleans or numbers.</summary>
    public static ProtoMessage SessionStart(IEnumerable<KeyValuePair<string, object>> hparams, string groupName, double startTimeSeconds)
    {
        var info = new ProtoMessage();
        foreach (var (name, value) in hparams)
            info.Message(1, new ProtoMessage().String(1, name).Message(2, StructValue(name, value)));
        if (groupName.Length > 0) info.String(4, groupName);
        info.Double(5, startTimeSeconds);
        return HParams(TensorBoardEventWriter.SessionStartTag, new ProtoMessage().Message(3, info));
    }

    public static ProtoMessage SessionEnd(SessionStatus status, double endTimeSeconds) =>
        HParams(TensorBoardEventWriter.SessionEndTag, new ProtoMessage().Message(4, new ProtoMessage().Varint(1, (int)status).Double(2, endTimeSeconds)));

    /// <summary>An hparams summary: its data is all in the metadata; the tensor is the empty float vector TensorBoard's own
    /// writer adds, so that readers that look for a tensor find one.</summary>
    static ProtoMessage HParams(string tag, ProtoMessage pluginData) => new ProtoMessage()
        .String(1, tag)
        .Message(9, Metadata("hparams", pluginData))
        .Message(8, new ProtoMessage().Varint(1, DtFloat).Message(2, new ProtoMessage().Message(2, new ProtoMessage())));

    static ProtoMessage Metadata(string pluginName, ProtoMessage content) => new ProtoMessage()
        .Message(1, new ProtoMessage().String(1, pluginName).Message(2, content))
        .Varint(4, DataClassTensor);

    static ProtoMessage StructValue(string name, object value) => value switch
    {
        string s => new ProtoMessage().String(3, s),
        bool b => new ProtoMessage().Varint(4, b ? 1 : 0),
        double or float or int or long or uint or ulong or short or ushort or byte or sbyte or decimal =>
            new ProtoMessage().Double(2, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"hyperparameter '{name}' is a {value?.GetType().Name ?? "null"}: expected a string, a boolean or a number", nameof(value)),
    };
}
