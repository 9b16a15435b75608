using TorchLoss.Data.Tables;
using TorchLoss.Data;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchLoss.Tests.Data.Tables;
using TorchLoss.Tests.Data;
using TorchLoss.Tests.Reliability;
using TorchLoss.Tests.Training;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Runtime;

/// <summary>
/// The same settings give the same bits in one process whatever it did before: every tensor TorchLoss computes with lies
/// in libtorch's 64-byte-aligned memory, and oneMKL runs in its reproducible mode (MKL_CBWR=AUTO), under which even
/// misaligned input gives the same bits. Without both, a second training in one process differed from the first in the
/// 10th digit on an AMD EPYC (Zen 3).
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ReproducibilityTests : IDisposable
{
    readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void OneMklRunsInItsReproducibleModeUnlessTheUserChoseAnother()
    {
        TorchRuntime.Initialize();
        var user = Environment.GetEnvironmentVariable("MKL_CBWR");
        Assert.Equal(user ?? "AUTO", TorchRuntime.NativeEnvironment("MKL_CBWR"));
        if (user is null) Assert.Equal("AUTO", TorchRuntime.BlasReproducibility);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AProductOfMisalignedInputGivesTheSameBitsAsOfAlignedInput(int offsetInFloats)
    {
        TorchRuntime.Initialize();
        using var scope = torch.NewDisposeScope();
        TorchRuntime.ManualSeed(3);
        const int rows = 1000, features = 784, classes = 10;
        var weights = torch.randn(classes, features);
        var padded = torch.rand(rows * features + offsetInFloats);
        var misaligned = padded.narrow(0, offsetInFloats, rows * features).view(rows, features);
        var aligned = misaligned.clone();
        Assert.NotEqual(0, ArrayTensors.Misalignment(misaligned));
        Assert.Equal(0, ArrayTensors.Misalignment(aligned));

        var expected = aligned.matmul(weights.t()).data<float>().ToArray();
        var actual = misaligned.matmul(weights.t()).data<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        var differing = expected.Zip(actual).Count(p => BitConverter.SingleToInt32Bits(p.First) != BitConverter.SingleToInt32Bits(p.Second));
        Assert.True(differing == 0, $"{differing} of {expected.Length} logits differ bitwise at an offset of {4 * offsetInFloats} bytes");
    }

    [Theory]
    [InlineData("AMD EPYC", "25", "1", "fpu avx avx2 fma", "AMD EPYC (family 25, model 1, AVX2)")]
    [InlineData("Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz", "6", "143", "avx avx2 avx512f", "Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz (family 6, model 143, AVX-512)")]
    public void TheCpuIsDescribedByNameFamilyModelAndWidestVectorExtension(string name, string family, string model, string flags, string expected)
    {
        string[] lines = ["processor\t: 0", "vendor_id\t: x", $"cpu family\t: {family}", $"model\t\t: {model}", $"model name\t: {name}", $"flags\t\t: {flags}"];
        Assert.Equal(expected, CpuModel.FromCpuInfo(lines));
        Assert.Equal("x86", CpuModel.FromCpuInfo(["model name\t: x86"]));
    }

    [Fact]
    public void ArraysBecomeTensorsInLibTorchsAlignedMemoryWithEveryValue()
    {
        float[] values = [1f, -2.5f, float.Epsilon, 3e38f, 0f, 7f];
        for (var shift = 0; shift < 4; shift++)
        {
            var heap = new byte[8 * shift + 24]; // a managed allocation of another size changes what the heap holds next
            using var t = ArrayTensors.Float32(values, [3, 2]);
            GC.KeepAlive(heap);
            Assert.Equal(0, ArrayTensors.Misalignment(t));
            Assert.Equal([3L, 2L], t.shape);
            Assert.Equal(values, t.data<float>().ToArray());
        }
        using var labels = ArrayTensors.Int64([long.MaxValue, -1, 0]);
        Assert.Equal([long.MaxValue, -1L, 0L], labels.data<long>().ToArray());
        Assert.Equal(ScalarType.Int64, labels.dtype);
        using var empty = ArrayTensors.Float32([], [0, 5]);
        Assert.Equal([0L, 5L], empty.shape);
        Assert.Throws<ArgumentException>(() => ArrayTensors.Float64([1.0, 2.0], [3]));
    }

    [Fact]
    public void EverySplitOfImagesAndOfATableLiesInAlignedMemory()
    {
        for (var i = 0; i < 3; i++)
        {
            var heap = new float[1 + 2 * i];
            using var images = SyntheticImages.Data(train: 300 + i, test: 50 + i);
            GC.KeepAlive(heap);
            AssertAligned(images);
            using var noisy = images.WithTrainingLabelNoise(0.2);
            Assert.Equal(0, ArrayTensors.Misalignment(noisy.Train.Y));
        }
        var path = temp["animals.csv"];
        File.WriteAllText(path, TableFiles.Animals(rowsPerClass: 20));
        using var table = TableData.Load(new TableFile(path, ','), new TableOptions(), new DataOptions(), torch.CPU);
        AssertAligned(table);
    }

    static void AssertAligned(ClassificationData data)
    {
        foreach (var (name, split) in new[] { ("train", data.Train), ("validation", data.Validation), ("test", data.Test) })
        {
            Assert.True(ArrayTensors.Misalignment(split.X) == 0, $"{name} inputs start {ArrayTensors.Misalignment(split.X)} bytes past a 64-byte boundary");
            Assert.True(ArrayTensors.Misalignment(split.Y) == 0, $"{name} labels start {ArrayTensors.Misalignment(split.Y)} bytes past a 64-byte boundary");
        }
    }

    [Theory]
    [InlineData("autograd")]
    [InlineData("fused")]
    public void TrainingTwiceInOneProcessGivesBitIdenticalMetricsAndParameters(string engine)
    {
        string Train(string name, int heapBytes)
        {
            var heap = new byte[heapBytes];
            using var data = SyntheticImages.Data(train: 260, test: 70, validation: 60);
            GC.KeepAlive(heap);
            var run = new RunFolder(temp[name]);
            var config = new TrainConfig
            {
                Dataset = "synthetic", Head = "softmax-mse", Model = "mlp:16", LearningRate = 0.5, Momentum = 0.9, BatchSize = 20,
                Epochs = 2, LogEvery = 3, Seed = 7, Engine = engine,
            };
            Assert.Equal(RunStatus.Completed, new Trainer(config, data, run).Run().Status);
            var environment = JsonFiles.Read<RunConfigFile>(run.File(RunFolder.ConfigFile)).Environment;
            Assert.Equal(TorchRuntime.Processor, environment.Processor);
            Assert.Equal(TorchRuntime.BlasReproducibility, environment.BlasReproducibility);
            return RunFolderReliabilityTests.Comparable(run);
        }

        var first = Train($"{engine}-first", 8);
        var second = Train($"{engine}-second", 4104);
        Assert.Equal(first, second);
    }
}
