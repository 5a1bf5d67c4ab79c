// placeholder so Policy compiles before the engine lands
namespace Rethinker.Tensors;
public sealed class Tensor { }
