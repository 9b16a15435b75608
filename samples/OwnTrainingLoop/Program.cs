// Your own TorchSharp training loop with TorchLoss's models and output heads.
//   dotnet run --project samples/OwnTrainingLoop -- [head]      (head: softmax-ce, softmax-mse, sigmoid-mse, ...)
// Trains a small MLP on Gaussian blobs with the head you name, then with a head of its own (label-smoothed
// cross-entropy, registered in HeadCatalog like the built-in ones), and exits 1 if a loss did not fall.
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

TorchRuntime.Initialize(); // first, before any other TorchSharp call (sets what libtorch's threads must see)

const int Inputs = 8, Classes = 3, Examples = 600, BatchSize = 50, Steps = 150;

HeadCatalog.Register(_ => new SmoothedCrossEntropyHead(epsilon: 0.1));

var heads = new[] { args.Length > 0 ? args[0] : SoftmaxCrossEntropyHead.HeadName, SmoothedCrossEntropyHead.HeadName };
if (!HeadCatalog.Names.Contains(heads[0], StringComparer.OrdinalIgnoreCase))
{
    Console.Error.WriteLine($"unknown head '{heads[0]}': expected one of {string.Join(", ", HeadCatalog.Names)}");
    return 2;
}

torch.manual_seed(1);
var (x, y) = GaussianBlobs(Examples, Inputs, Classes);
var allFell = true;
foreach (var name in heads) allFell &= Train(name, x, y);
return allFell ? 0 : 1;

static bool Train(string headName, Tensor x, Tensor y)
{
    torch.manual_seed(2); // the same initial weights and batches for every head
    using var head = HeadCatalog.Create(headName);
    using var model = ModelSpec.Parse("mlp:32").Build(Inputs, Classes); // nn.Sequential: layer1, act1, layer2
    using var sgd = optim.SGD(model.parameters(), learningRate: 0.1, momentum: 0.9);

    var before = Evaluate(model, head, x, y).Loss;
    Console.WriteLine($"{head.Name} ({head.Description}): loss {before:F4} before training");
    for (var step = 1; step <= Steps; step++)
    {
        using var scope = NewDisposeScope(); // frees every tensor this step makes, graph included
        var batch = randint(Examples, [BatchSize]);
        var loss = head.forward(model.forward(x[batch]), y[batch]); // batch-mean loss for int64 labels
        sgd.zero_grad();
        loss.backward();
        sgd.step();
        if (step % 30 == 0) Console.WriteLine($"  step {step,3}  batch loss {loss.item<float>():F4}");
    }
    var (after, accuracy) = Evaluate(model, head, x, y);
    Console.WriteLine($"{head.Name}: loss {before:F4} -> {after:F4}, accuracy {accuracy * 100:F1}%");
    return after < before;
}

static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, OutputHead head, Tensor x, Tensor y)
{
    using var noGrad = no_grad();
    using var scope = NewDisposeScope();
    var logits = model.forward(x);
    var correct = head.Predict(logits).eq(y).to_type(ScalarType.Float32).mean();
    return (head.forward(logits, y).item<float>(), correct.item<float>());
}

/// Gaussian blobs: class c around a random centre, unit variance; labels int64 0..classes-1.
static (Tensor X, Tensor Y) GaussianBlobs(int count, int inputs, int classes)
{
    using var scope = NewDisposeScope();
    var centres = randn(classes, inputs);
    var labels = arange(count, dtype: ScalarType.Int64) % classes;
    var features = centres[labels] + randn(count, inputs);
    return (features.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
}

/// A head of your own: softmax + cross-entropy against smoothed targets t = (1 - eps) y + eps / C, whose
/// hand-derived gradient is dL/dz = softmax(z) - t. Targets arrive one-hot (see OutputHead.Targets).
sealed class SmoothedCrossEntropyHead(double epsilon) : OutputHead
{
    public const string HeadName = "smoothed-ce";
    public override string Name => HeadName;
    public override string Description => $"softmax + cross-entropy, labels smoothed by {epsilon}";
    public override int MinOutputs => 2;

    public override Tensor Activate(Tensor logits) => logits.softmax(1);

    public override Tensor ExampleLoss(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        return (-(Smooth(targets) * logits.log_softmax(1)).sum(1)).MoveToOuterDisposeScope();
    }

    public override Tensor LogitGradient(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        return (logits.softmax(1) - Smooth(targets)).MoveToOuterDisposeScope();
    }

    Tensor Smooth(Tensor targets) => targets * (1 - epsilon) + epsilon / targets.size(1);
}
