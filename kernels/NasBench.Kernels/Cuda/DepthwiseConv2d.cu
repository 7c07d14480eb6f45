// Direct depthwise convolution forward over NCHW (groups == in channels == out channels), weights [C, 1, KH, KW],
// optional bias [C] (null pointer for none). Same geometry as Conv2dShape: PyTorch's output size rule, stride,
// zero padding, dilation. One thread per output element; taps outside the input are skipped (zero padding).

struct DepthwiseShape
{
    int batch;
    int channels;
    int height;
    int width;
    int kernel_h;
    int kernel_w;
    int stride_h;
    int stride_w;
    int pad_h;
    int pad_w;
    int dilation_h;
    int dilation_w;
    int out_h;
    int out_w;
};

extern "C" __global__ void depthwise_conv2d_forward(DepthwiseShape s, const float* x, const float* w,
    const float* bias, float* y)
{
    long long total = (long long)s.batch * s.channels * s.out_h * s.out_w;
    long long stride = (long long)blockDim.x * gridDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < total; i += stride)
    {
        int ox = (int)(i % s.out_w);
        long long t = i / s.out_w;
        int oy = (int)(t % s.out_h);
        long long nc = t / s.out_h;
        int ch = (int)(nc % s.channels);
        const float* plane = x + nc * s.height * s.width;
        const float* kernel = w + (long long)ch * s.kernel_h * s.kernel_w;
        float sum = bias != 0 ? bias[ch] : 0.0f;
        for (int ky = 0; ky < s.kernel_h; ++ky)
        {
            int iy = oy * s.stride_h - s.pad_h + ky * s.dilation_h;
            if (iy < 0 || iy >= s.height)
            {
                continue;
            }
            for (int kx = 0; kx < s.kernel_w; ++kx)
            {
                int ix = ox * s.stride_w - s.pad_w + kx * s.dilation_w;
                if (ix >= 0 && ix < s.width)
                {
                    sum = fmaf(plane[iy * s.width + ix], kernel[ky * s.kernel_w + kx], sum);
                }
            }
        }
        y[i] = sum;
    }
}
