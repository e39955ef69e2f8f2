// Generated from refmodel/lib/common/tans_hw.h by scripts/c2vh.py; do not edit.
// Included inside module bodies.
localparam integer TANS_ERR_NONE = 0;
localparam integer TANS_ERR_STREAM_HEADER = 1;  // bad stream header word: stream drained
localparam integer TANS_ERR_LAYER_HEADER = 2;  // bad layer header: stream drained
localparam integer TANS_ERR_TABLE = 3;  // counts do not form a table: layer skipped
localparam integer TANS_ERR_UNSUPPORTED = 4;  // table log, lanes or symbols beyond this decoder: skipped
localparam integer TANS_ERR_PAYLOAD_SHORT = 5;  // a lane needs a word beyond the layer's payload
localparam integer TANS_ERR_FINAL_STATE = 6;  // a lane does not end in state 0
localparam integer TANS_ERR_PADDING = 7;  // a lane's bits after its last read are not zero
localparam integer TANS_ERR_PAYLOAD_LONG = 8;  // payload words left over when the lanes are done
localparam integer TANS_ERR_TRUNCATED = 9;  // input ended (TLAST) before the stream did
localparam integer TANS_ERR_EXTRA_WORDS = 10;  // words after the stream's end, up to TLAST
