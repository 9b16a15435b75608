using System.Runtime.InteropServices;

namespace TorchLoss.Torch.Native;

/// <summary>Owns one native at::Tensor handle; releasing it frees the handle (not necessarily the storage,
/// which libtorch reference-counts across views and autograd).</summary>
internal sealed class TensorHandle : SafeHandle
{
    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public TensorHandle(IntPtr pointer) : this() => SetHandle(pointer);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.tl_free(handle);
        return true;
    }
}
