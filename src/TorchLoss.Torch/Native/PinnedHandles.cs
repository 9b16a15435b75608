namespace TorchLoss.Torch.Native;

/// <summary>Raw handles of several tensors, each kept alive (its SafeHandle add-ref'd) until disposed.</summary>
internal sealed class PinnedHandles : IDisposable
{
    readonly TensorHandle[] handles;

    public PinnedHandles(IReadOnlyList<Tensor> tensors)
    {
        handles = new TensorHandle[tensors.Count];
        Pointers = new nint[tensors.Count];
        var count = 0;
        try
        {
            for (; count < tensors.Count; count++)
            {
                var h = tensors[count].Handle;
                var ok = false;
                h.DangerousAddRef(ref ok);
                handles[count] = h;
                Pointers[count] = h.DangerousGetHandle();
            }
        }
        catch
        {
            for (var i = 0; i < count; i++) handles[i].DangerousRelease();
            throw;
        }
    }

    public nint[] Pointers { get; }

    public void Dispose()
    {
        foreach (var h in handles) h.DangerousRelease();
    }
}
