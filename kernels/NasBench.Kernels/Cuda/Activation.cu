// ReLU forward and backward, grid-stride element-wise.
//   relu_forward:  y = max(x, 0)
//   relu_backward: dx (= or +=) (x > 0 ? dy : 0)

extern "C" __global__ void relu_forward(const float* x, float* y, long long n)
{
    long long stride = (long long)blockDim.x * gridDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
    {
        y[i] = fmaxf(x[i], 0.0f);
    }
}

extern "C" __global__ void relu_backward(const float* x, const float* dy, float* dx, long long n, int accumulate)
{
    long long stride = (long long)blockDim.x * gridDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
    {
        float g = x[i] > 0.0f ? dy[i] : 0.0f;
        dx[i] = accumulate ? dx[i] + g : g;
    }
}
