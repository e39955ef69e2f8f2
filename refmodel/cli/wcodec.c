/* wcodec: command-line front end of the reference codec. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: wcodec <command> [arguments]\n"
    "\n"
    "  compress IN OUT.wcz [--bins N] [--per-channel] [--coder tans|huffman|raw]\n"
    "                      [--states 32..4096] [--lanes 1..16]\n"
    "      Quantize the weights of IN (.onnx, .safetensors, .npy, .npz) and code them.\n"
    "      Defaults: 15 bins per tensor, tANS with 256 states and 1 lane.\n"
    "  decompress IN.wcz OUT.safetensors\n"
    "      Write the quantized tensors (U8 symbols, with <name>.scale and\n"
    "      <name>.zero_point per group) and the tensors kept verbatim.\n"
    "  inspect IN.wcz [--json]\n"
    "      Per tensor: count, bins, entropy H0, coded bits per weight, overhead, SNR.\n"
    "  bench IN [--bins N] [--per-channel] [--json]\n"
    "      Sizes and decode speeds of tANS, Huffman, zlib -9 and zstd -19 on the\n"
    "      same quantized symbols, next to the entropy bound.\n";

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "compress") == 0)
        return cmd_compress(argc - 2, argv + 2);
    if (strcmp(cmd, "decompress") == 0)
        return cmd_decompress(argc - 2, argv + 2);
    if (strcmp(cmd, "inspect") == 0)
        return cmd_inspect(argc - 2, argv + 2);
    if (strcmp(cmd, "bench") == 0)
        return cmd_bench(argc - 2, argv + 2);
    return cli_usage("unknown command '%s'", cmd);
}
