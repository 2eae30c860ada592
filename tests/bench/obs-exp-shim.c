/* Experiment tool for the director benchmarks, NOT part of the studio and not built by CMake:
 * an LD_PRELOAD library that changes libobs settings the studio does not expose, so one build
 * can be measured A/B (docs/benchmarks.md, "Cost breakdown under llvmpipe").
 *
 *   gcc -shared -fPIC -O2 -I/usr/include/obs -o /tmp/obs-exp-shim.so tests/bench/obs-exp-shim.c
 * -ldl STUDIO_PRELOAD=/tmp/obs-exp-shim.so EXP_NOSRGB=1 tests/bench/director-2x2.sh
 *
 * EXP_FORMAT=i420: the canvas output format I420 instead of NV12; EXP_FORMAT=cpu: libobs'
 * CPU conversion instead of the GPU one (gpu_conversion = false). EXP_NOSRGB=1: libobs never
 * enables GL_FRAMEBUFFER_SRGB nor samples textures with sRGB decoding, i.e. it draws in gamma
 * space as libobs < 28 did (libobs' own calls go through its PLT, so the preload takes them). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <obs.h>

int obs_reset_video(struct obs_video_info* ovi) {
    int (*real)(struct obs_video_info*) =
        (int (*)(struct obs_video_info*))dlsym(RTLD_NEXT, "obs_reset_video");
    const char* format = getenv("EXP_FORMAT");
    if (format != NULL && strcmp(format, "i420") == 0)
        ovi->output_format = VIDEO_FORMAT_I420;
    else if (format != NULL && strcmp(format, "cpu") == 0)
        ovi->gpu_conversion = false;
    fprintf(stderr, "obs-exp-shim: output_format %d, gpu_conversion %d, sRGB drawing %s\n",
            (int)ovi->output_format, (int)ovi->gpu_conversion,
            getenv("EXP_NOSRGB") != NULL ? "off" : "as libobs does");
    return real(ovi);
}

void gs_enable_framebuffer_srgb(bool enable) {
    void (*real)(bool) = (void (*)(bool))dlsym(RTLD_NEXT, "gs_enable_framebuffer_srgb");
    real(getenv("EXP_NOSRGB") != NULL ? false : enable);
}

void gs_effect_set_texture_srgb(gs_eparam_t* param, gs_texture_t* val) {
    const char* name =
        getenv("EXP_NOSRGB") != NULL ? "gs_effect_set_texture" : "gs_effect_set_texture_srgb";
    void (*real)(gs_eparam_t*, gs_texture_t*) =
        (void (*)(gs_eparam_t*, gs_texture_t*))dlsym(RTLD_NEXT, name);
    real(param, val);
}
