using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Reporting;
using TorchLoss.Runtime;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Cli.Commands;

/// <summary>
/// `torchloss demo`: a small end-to-end check of the tensor engine. Trains a 2-32-3 tanh MLP with the library's
/// softmax + cross-entropy head and autograd step on three synthetic Gaussian blobs, full batch, and prints loss and
/// accuracy as it goes.
/// </summary>
public static class DemoCommand
{
    /// <summary>The most steps: the demo is a quick check of the engine (300 by default, a few hundred steps a second
    /// on a small CPU); 100,000 already take minutes.</summary>
    public const int MaxSteps = 100_000;

    public static Command Create(TextWriter? output = null)
    {
        var steps = NumericOptions.Int("--steps", $"Training steps, 1 to {MaxSteps}.", 300, min: 1, max: MaxSteps);
        var lr = NumericOptions.Double("--lr", $"SGD learning rate, up to {Numbers.Limit(TrainOptions.MaxScale)}.", 0.1, positive: true, max: TrainOptions.MaxScale);
        var seed = NumericOptions.Seed("--seed", "Random seed.", 1);
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per reported step (step, loss, accuracy) instead of the lines." };
        var command = new Command("demo", "Train a tiny MLP on synthetic blobs with softmax + cross-entropy (a check of the engine).")
        {
            steps, lr, seed, device, json,
        };
        command.SetAction(parse => Run(parse.GetValue(steps), parse.GetValue(lr), parse.GetValue(seed), Devices.Parse(parse.GetValue(device)!),
            parse.GetValue(json), output ?? Console.Out));
        return command;
    }

    static int Run(int steps, double learningRate, ulong seed, Device device, bool json, TextWriter output)
    {
        device.EnsureAvailable();
        TorchRuntime.ManualSeed(seed);
        using var data = torch.NewDisposeScope();
        var (x, y) = Blobs(600, device);
        using var model = nn.Sequential(("layer1", nn.Linear(2, 32)), ("act1", nn.Tanh()), ("layer2", nn.Linear(32, 3)));
        model.to(device);
        using var head = new SoftmaxCrossEntropyHead();
        using var optimizer = optim.SGD(model.parameters(), learningRate, momentum: 0.9);
        using var statistics = new StepStatistics([], full: false);
        using var trainingStep = new AutogradStep(model, head, optimizer, statistics);
        if (!json) output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"demo: 2-32-3 tanh MLP, {head.Description}, SGD lr {learningRate} momentum 0.9, {device.Name()}"));
        for (var step = 1; step <= steps; step++)
        {
            using (torch.NewDisposeScope()) trainingStep.Run(new Batch(x, y));
            // Every step is an interval of its own: a reported line is that step's loss and accuracy, before its update.
            var measured = statistics.Flush();
            if (step == 1 || step % Math.Max(1, steps / 10) == 0 || step == steps)
                output.WriteLine(json
                    ? new JsonObject { ["step"] = step, ["loss"] = measured.Loss, ["accuracy"] = measured.Accuracy }.ToJsonString(JsonFiles.Compact)
                    : string.Create(CultureInfo.InvariantCulture, $"step {step,5}  loss {measured.Loss:F4}  accuracy {measured.Accuracy:P1}"));
        }
        return ExitCodes.Ok;
    }

    /// <summary>Three Gaussian blobs around (2,0), (-1,1.7), (-1,-1.7), unit variance, labels 0..2.</summary>
    static (Tensor X, Tensor Y) Blobs(int perClass, Device device)
    {
        var centres = ArrayTensors.Float32([2f, 0f, -1f, 1.7f, -1f, -1.7f], [3, 2]);
        var labels = torch.arange(0, 3).unsqueeze(1).expand(3, perClass).reshape(-1);
        var x = centres.index_select(0, labels) + torch.randn([3 * perClass, 2]) * 0.6;
        return (x.to(device), labels.to(device));
    }
}
