/* wcodec: command-line front end of the reference codec. */
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argv;
    if (argc < 2) {
        fprintf(stderr, "usage: wcodec compress|decompress|inspect|bench ...\n");
        return 2;
    }
    return 0;
}
