/* cblas_sgemm timing for chosen shapes: the OpenBLAS side of a side-by-side with `NasBench.Benchmarks sgemm-time`.
 * Derived from /work/shared/peers/sgemm_bench.c (same timing loop). Row-major, C = A*B, alpha=1 beta=0.
 * Run:   [CPUCLOCK=1] [OPENBLAS_CORETYPE=Cooperlake] ./sgemm_shapes <threads> MxNxK[xTT] ...
 *        CPUCLOCK=1 times with the calling thread's CPU clock (1 thread only; see SgemmTiming.cs).
 * Build: gcc -O3 -march=native sgemm_shapes.c -o /tmp/sgemm_shapes -I/usr/include/x86_64-linux-gnu/openblas-pthread \
 *          -L/usr/lib/x86_64-linux-gnu/openblas-pthread -lopenblas -lm
 * Each case: warm-up, then repeat until >=0.3 s and >=7 reps; report min / median ms and GFLOP/s (2*M*N*K). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cblas.h>

extern void openblas_set_num_threads(int);
extern char* openblas_get_corename(void);
extern char* openblas_get_config(void);

static int clk=CLOCK_MONOTONIC;
static double now(){struct timespec t;clock_gettime(clk,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}

/* transA/transB: 0 = no trans, 1 = trans. Shapes are of op(A)=MxK, op(B)=KxN */
static void bench(const char* tag,int M,int N,int K,int ta,int tb){
  float*A=aligned_alloc(64,((size_t)M*K*4+63)/64*64),*B=aligned_alloc(64,((size_t)K*N*4+63)/64*64),*C=aligned_alloc(64,((size_t)M*N*4+63)/64*64);
  for(size_t i=0;i<(size_t)M*K;i++)A[i]=(float)((i*7)%13)*0.01f;
  for(size_t i=0;i<(size_t)K*N;i++)B[i]=(float)((i*5)%11)*0.01f;
  memset(C,0,(size_t)M*N*4);
  int lda=ta?M:K, ldb=tb?K:N;
  CBLAS_TRANSPOSE TA=ta?CblasTrans:CblasNoTrans, TB=tb?CblasTrans:CblasNoTrans;
  cblas_sgemm(CblasRowMajor,TA,TB,M,N,K,1.f,A,lda,B,ldb,0.f,C,N);
  cblas_sgemm(CblasRowMajor,TA,TB,M,N,K,1.f,A,lda,B,ldb,0.f,C,N);
  double ts[2000];int r=0;double tstart=now();
  while(r<2000 && (r<7 || now()-tstart<0.3)){
    double t0=now();
    cblas_sgemm(CblasRowMajor,TA,TB,M,N,K,1.f,A,lda,B,ldb,0.f,C,N);
    ts[r++]=now()-t0;
  }
  qsort(ts,r,8,cmp);
  double fl=2.0*M*N*K;
  printf("%-34s M=%5d N=%6d K=%5d  reps=%4d  min %9.4f ms  med %9.4f ms  best %7.1f GF/s  med %7.1f GF/s\n",
         tag,M,N,K,r,ts[0]*1e3,ts[r/2]*1e3,fl/ts[0]/1e9,fl/ts[r/2]/1e9);
  fflush(stdout);
  free(A);free(B);free(C);
}

int main(int argc,char**argv){
  int nt=atoi(argv[1]);
  if(getenv("CPUCLOCK")) clk=strcmp(getenv("CPUCLOCK"),"proc")==0?CLOCK_PROCESS_CPUTIME_ID:CLOCK_THREAD_CPUTIME_ID;
  openblas_set_num_threads(nt);
  for(int i=2;i<argc;i++){int M,N,K;char t[8]="NN";sscanf(argv[i],"%dx%dx%dx%2s",&M,&N,&K,t);
    char tag[64];snprintf(tag,64,"%s %dT",argv[i],nt);bench(tag,M,N,K,t[0]=='T',t[1]=='T');}
  return 0;}
