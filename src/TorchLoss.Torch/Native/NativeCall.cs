using System.Runtime.InteropServices;

namespace TorchLoss.Torch.Native;

/// <summary>Turns the shim's error signals (a null handle, a status of -1) into TorchExceptions.</summary>
internal static class NativeCall
{
    public static string LastError() => Marshal.PtrToStringUTF8(NativeMethods.tl_last_error()) ?? "unknown native error";

    public static void Check(int status)
    {
        if (status != 0) throw new TorchException(LastError());
    }

    public static Tensor Wrap(nint handle)
    {
        if (handle == 0) throw new TorchException(LastError());
        return new Tensor(new TensorHandle(handle));
    }

    public static Tensor? WrapOptional(nint handle) => handle == 0 ? null : new Tensor(new TensorHandle(handle));
}
