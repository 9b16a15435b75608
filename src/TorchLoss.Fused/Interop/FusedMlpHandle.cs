using System.Runtime.InteropServices;

namespace TorchLoss.Fused.Interop;

/// <summary>Owns a native fused step (tlf_mlp). Passed to native calls as a SafeHandle, so it cannot be freed while a call
/// runs and a call after Dispose throws ObjectDisposedException instead of using freed memory.</summary>
internal sealed class FusedMlpHandle : SafeHandle
{
    public FusedMlpHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public FusedMlpHandle(IntPtr pointer) : this() => SetHandle(pointer);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.tlf_free(handle);
        return true;
    }
}
