using System.Security.Cryptography;
using System.Text;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Tests.Cli;
using TorchLoss.Training;

namespace TorchLoss.Tests.Reliability;

/// <summary>`train --init-from` a parameter file whose checksum is right but whose names or shapes no TorchLoss model
/// has: one line naming the file, exit 2. The files are written byte by byte here, as a hostile writer would, since
/// <see cref="ParameterFile.Write"/> only writes real tensors. Serial: it trains.</summary>
[Collection(SerialCollection.Name)]
public sealed class ParameterFileNameTests : IDisposable
{
    readonly CliDataset data = new(); // 6x6 images, 4 classes: `--model linear` is layer1.weight [4, 36] and layer1.bias [4]
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose()
    {
        threads.Apply();
        data.Dispose();
    }

    /// <summary>A version-2 parameter file of float32 tensors, zero-filled, with <paramref name="bytes"/> overriding the
    /// byte count a tensor's shape needs; closed by the SHA-256 of everything before it, as ParameterFile writes it.</summary>
    static byte[] Params(params (string Name, long[] Shape, long? Bytes)[] tensors)
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            w.Write("TLPARAMS"u8);
            w.Write(2);
            w.Write(tensors.Length);
            foreach (var (name, shape, bytes) in tensors)
            {
                w.Write(name);
                w.Write(6); // libtorch's ScalarType.Float32
                w.Write(shape.Length);
                foreach (var d in shape) w.Write(d);
                var length = bytes ?? 4 * shape.Aggregate(1L, (a, b) => a * b);
                w.Write(length);
                w.Write(new byte[length]);
            }
        }
        return [.. body.ToArray(), .. SHA256.HashData(body.ToArray())];
    }

    static readonly long[] Weight = [4, 36];
    static readonly long[] Bias = [4];

    public static TheoryData<string, byte[]> Files() => new()
    {
        // Old child-index names ("0.weight") that do not map onto layer1, layer2, ...: left as they are, then named.
        { "missing parameter(s) layer1.weight, layer1.bias", Params(("99999999999.weight", Weight, null), ("99999999999.bias", Bias, null)) },
        { "missing parameter(s) layer1.weight, layer1.bias", Params(("1.weight", Weight, null), ("1.bias", Bias, null)) },
        { "missing parameter(s) layer1.weight, layer1.bias", Params(("0.weight", Weight, null), ("00.weight", Weight, null)) },
        // Names no module has.
        { "tensor 1 of 2 has an empty name", Params(("", Weight, null), ("layer1.bias", Bias, null)) },
        { "tensor 2 of 2 has a name with a control character", Params(("layer1.weight", Weight, null), ("layer1.bias\ntorchloss: ok", Bias, null)) },
        { "tensor 1 of 1 has a name of 300 characters (at most 256)", Params((new string('w', 300), Weight, null)) },
        // A shape whose size overflows, with a byte count that wraps to match it.
        { "'layer1.weight' has a shape [1099511627776, 1099511627776, ...] too large for any tensor",
            Params(("layer1.weight", [1L << 40, 1L << 40, 1L << 40], 0), ("layer1.bias", Bias, null)) },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void AParameterFileWithNamesOrShapesNoModelHasIsOneLine(string problem, byte[] file)
    {
        var path = data["start.params"];
        File.WriteAllBytes(path, file);
        var (code, _, error) = data.Run(TrainCommand.Create, "--init-from", path, "--model", "linear", "--epochs", "1",
            "--validation-size", "50", "--runs-dir", data.RunsDirectory, "--name", "r");
        Assert.Equal(ExitCodes.UsageError, code);
        var line = Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"torchloss: error: {path}: ", line);
        Assert.Contains(problem, line);
    }

    [Fact]
    public void OldChildIndexNamesStillLoad()
    {
        var path = data["old.params"];
        File.WriteAllBytes(path, Params(("0.weight", Weight, null), ("0.bias", Bias, null)));
        var (code, _, error) = data.Run(TrainCommand.Create, "--init-from", path, "--model", "linear", "--epochs", "1",
            "--validation-size", "50", "--runs-dir", data.RunsDirectory, "--name", "old");
        Assert.True(code == ExitCodes.Ok, error);
    }
}
