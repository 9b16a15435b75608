using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Torch;

public class ErrorAndLifetimeTests
{
    [Fact]
    public void UsingADisposedTensorThrowsObjectDisposedException()
    {
        var t = torch.ones([2]);
        t.Dispose();
        Assert.True(t.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => t.Sum());
        Assert.Throws<ObjectDisposedException>(() => t.shape);
        using var other = torch.ones([2]);
        Assert.Throws<ObjectDisposedException>(() => other + t);
        t.Dispose();
    }

    [Fact]
    public void CudaWithoutCudaIsAClearError()
    {
        if (TorchRuntime.CudaIsAvailable) return; // the GPU suite covers the other case
        var e = Assert.Throws<TorchException>(() => torch.zeros([1], device: Device.Cuda()));
        Assert.Contains("CUDA is not available", e.Message);
        using var t = torch.zeros([1]);
        Assert.Throws<TorchException>(() => t.To(Device.Parse("cuda:0")));
    }

    [Theory]
    [InlineData("cpu", DeviceType.Cpu, -1)]
    [InlineData("cuda", DeviceType.Cuda, -1)]
    [InlineData(" CUDA:1 ", DeviceType.Cuda, 1)]
    public void DevicesParse(string text, DeviceType type, int index)
    {
        var d = Device.Parse(text);
        Assert.Equal(type, d.Type);
        Assert.Equal(index, d.Index);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    public void BadDevicesAreRejected(string text) => Assert.Throws<FormatException>(() => Device.Parse(text));

    [Fact]
    public void ADisposeScopeFreesWhatWasCreatedInsideItButNotWhatWasMovedOut()
    {
        Tensor inner, kept, detached;
        using (var outer = torch.NewDisposeScope())
        {
            using (var scope = torch.NewDisposeScope())
            {
                inner = torch.ones([3]);
                kept = (inner * 2).MoveToOuterDisposeScope();
                detached = (inner * 3).DetachFromDisposeScope();
                Assert.Equal(1, scope.Count);
            }
            Assert.True(inner.IsDisposed);
            Assert.False(kept.IsDisposed);
            Assert.Equal(6, kept.Sum().ToDouble());
        }
        Assert.True(kept.IsDisposed);
        Assert.False(detached.IsDisposed);
        detached.Dispose();
    }

    [Fact]
    public void ScopesMustBeDisposedInOrder()
    {
        var outer = torch.NewDisposeScope();
        var inner = torch.NewDisposeScope();
        Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        inner.Dispose();
        outer.Dispose();
    }

    [Fact]
    public void ATensorThatOutlivesItsHandleKeepsItsStorage()
    {
        // Views share storage with their base; freeing the base handle must not free the view's data.
        Tensor view;
        using (var scope = torch.NewDisposeScope())
        {
            var full = torch.arange(0, 6, dtype: ScalarType.Float32);
            view = full.narrow(0, 2, 2).DetachFromDisposeScope();
        }
        Assert.Equal([2f, 3f], view.data<float>().ToArray());
        view.Dispose();
    }
}
