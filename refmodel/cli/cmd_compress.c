/* wcodec compress: model file -> .wcz */
#include <string.h>

#include "cli.h"
#include "common/container.h"
#include "encode/container_write.h"
#include "io/model.h"

int cmd_compress(int argc, char **argv)
{
    wc_compress_options opt = wc_compress_defaults();
    const char *paths[2] = {NULL, NULL};
    int npaths = 0;
    cli_args a = {argc, argv, 0, NULL};
    while (a.next < argc) {
        int got = cli_coding_option(&a, &opt);
        if (got < 0)
            return EXIT_USAGE;
        if (got)
            continue;
        if (strncmp(argv[a.next], "--", 2) == 0)
            return cli_usage("compress: unknown option '%s'", argv[a.next]);
        if (npaths == 2)
            return cli_usage("compress takes IN and OUT.wcz, got '%s' too", argv[a.next]);
        paths[npaths++] = argv[a.next++];
    }
    if (npaths != 2)
        return cli_usage("compress needs IN and OUT.wcz");

    wc_error err = {0};
    wc_model model = {0};
    if (wc_model_load(paths[0], &model, &err) != WC_OK)
        return cli_fail(&err);
    wc_container c = {0};
    wc_status st = WC_OK;
    cli_progress bar;
    cli_progress_start(&bar, "compress", model.count);
    for (size_t i = 0; i < model.count && st == WC_OK; i++) {
        wc_record *r = wc_container_add(&c);
        st = r ? wc_compress_tensor(&model.tensors[i], &opt, r, NULL, &err)
               : wc_fail(&err, WC_ERR_NOMEM, "out of memory");
        cli_progress_update(&bar, i + 1);
    }
    cli_progress_end(&bar);
    if (st == WC_OK)
        st = wc_container_write_file(&c, paths[1], &err);
    wc_container_free(&c);
    wc_model_free(&model);
    return st == WC_OK ? EXIT_OK : cli_fail(&err);
}
