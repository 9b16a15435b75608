using System.CommandLine;
using TorchSharp;
using TorchLoss.Runtime;
using static TorchSharp.torch;

namespace TorchLoss.Cli.Commands;

/// <summary>
/// `torchloss demo`: a small end-to-end check of the tensor engine. Trains a 2-32-3 tanh MLP with
/// softmax + cross-entropy on three synthetic Gaussian blobs and prints loss and accuracy as it goes.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "Training steps.", DefaultValueFactory = _ => 300 };
        var lr = new Option<double>("--lr") { Description = "SGD learning rate.", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var command = new Command("demo", "Train a tiny MLP on synthetic blobs with softmax + cross-entropy (a check of the engine).")
        {
            steps, lr, seed, device,
        };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(steps);
            var rate = parse.GetValue(lr);
            if (n < 1) throw new UserException("--steps must be at least 1");
            if (!(rate > 0)) throw new UserException("--lr must be positive");
            return Run(n, rate, parse.GetValue(seed), Devices.Parse(parse.GetValue(device)!));
        });
        return command;
    }

    static int Run(int steps, double learningRate, ulong seed, Device device)
    {
        device.EnsureAvailable();
        TorchRuntime.ManualSeed(seed);
        using var data = torch.NewDisposeScope();
        var (x, y) = Blobs(600, device);
        using var model = nn.Sequential(("layer1", nn.Linear(2, 32)), ("act1", nn.Tanh()), ("layer2", nn.Linear(32, 3)));
        model.to(device);
        using var optimizer = optim.SGD(model.parameters(), learningRate, momentum: 0.9);
        Console.WriteLine($"demo: 2-32-3 tanh MLP, softmax + cross-entropy, SGD lr {learningRate} momentum 0.9, {device.Name()}");
        for (var step = 1; step <= steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            var logits = model.forward(x);
            var loss = -logits.log_softmax(1).gather(1, y.unsqueeze(1)).mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            if (step == 1 || step % Math.Max(1, steps / 10) == 0 || step == steps)
            {
                var accuracy = logits.argmax(1).eq(y).to_type(ScalarType.Float32).mean().ToDouble();
                Console.WriteLine($"step {step,5}  loss {loss.ToDouble():F4}  accuracy {accuracy:P1}");
            }
        }
        return ExitCodes.Ok;
    }

    /// <summary>Three Gaussian blobs around (2,0), (-1,1.7), (-1,-1.7), unit variance, labels 0..2.</summary>
    static (Tensor X, Tensor Y) Blobs(int perClass, Device device)
    {
        var centres = torch.tensor(new float[] { 2f, 0f, -1f, 1.7f, -1f, -1.7f }, [3, 2]);
        var labels = torch.arange(0, 3).unsqueeze(1).expand(3, perClass).reshape(-1);
        var x = centres.index_select(0, labels) + torch.randn([3 * perClass, 2]) * 0.6;
        return (x.to(device), labels.to(device));
    }
}
