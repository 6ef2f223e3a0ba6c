#include "softcard/detail/images.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#include <openjpeg.h>
#include <zlib.h>

#include "core/error.h"

namespace mynacard::softcard::detail {

namespace {

constexpr unsigned kGlyphWidth = 8;
constexpr unsigned kHeight = 12;

// 3×5 digit font, one row per byte, bit 2 = leftmost column.
constexpr std::array<std::array<std::uint8_t, 5>, 10> kDigits{{
    {7, 5, 5, 5, 7},
    {2, 6, 2, 2, 7},
    {7, 1, 7, 4, 7},
    {7, 1, 7, 1, 7},
    {5, 5, 7, 1, 1},
    {7, 4, 7, 1, 7},
    {7, 4, 7, 5, 7},
    {7, 1, 1, 1, 1},
    {7, 5, 7, 5, 7},
    {7, 5, 7, 1, 7},
}};

std::vector<char32_t> decode_utf8(std::string_view s) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        n = std::min(n, s.size() - i);
        char32_t cp = n == 1 ? b : (b & (0xFFu >> (n + 1)));
        for (std::size_t k = 1; k < n; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
        out.push_back(cp);
        i += n;
    }
    return out;
}

void put_be32(Bytes& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(v >> static_cast<unsigned>(shift)));
}

void png_chunk(Bytes& out, const char* type, const Bytes& data) {
    put_be32(out, static_cast<std::uint32_t>(data.size()));
    Bytes body(type, type + 4);
    body.insert(body.end(), data.begin(), data.end());
    // PNG CRC-32 covers type and data (ISO/IEC 15948 §5.3) — zlib's crc32 is that CRC.
    const auto crc = crc32(0L, body.data(), static_cast<uInt>(body.size()));
    out.insert(out.end(), body.begin(), body.end());
    put_be32(out, static_cast<std::uint32_t>(crc));
}

Bytes encode_png_1bit(unsigned w, unsigned h, const std::function<bool(unsigned, unsigned)>& ink) {
    const unsigned stride = (w + 7) / 8;
    Bytes raw;
    raw.reserve(static_cast<std::size_t>(h) * (stride + 1));
    for (unsigned y = 0; y < h; ++y) {
        raw.push_back(0);  // filter type None
        for (unsigned bx = 0; bx < stride; ++bx) {
            std::uint8_t byte = 0;
            for (unsigned bit = 0; bit < 8; ++bit) {
                const unsigned x = bx * 8 + bit;
                // Greyscale 1-bit: 1 = white paper, 0 = black ink.
                const bool white = x >= w || !ink(x, y);
                if (white) byte = static_cast<std::uint8_t>(byte | (0x80u >> bit));
            }
            raw.push_back(byte);
        }
    }
    uLongf zlen = compressBound(static_cast<uLong>(raw.size()));
    Bytes z(zlen);
    if (compress2(z.data(), &zlen, raw.data(), static_cast<uLong>(raw.size()), 9) != Z_OK)
        throw Error(Errc::internal, "zlib compress2 failed");
    z.resize(zlen);

    Bytes out{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    Bytes ihdr;
    put_be32(ihdr, w);
    put_be32(ihdr, h);
    ihdr.insert(ihdr.end(),
                {1, 0, 0, 0, 0});  // bit depth 1, greyscale, deflate, no filter, no interlace
    png_chunk(out, "IHDR", ihdr);
    png_chunk(out, "IDAT", z);
    png_chunk(out, "IEND", {});
    return out;
}

// Memory sink for openjp2, which seeks back to patch box lengths.
struct MemoryStream {
    Bytes data;
    std::size_t pos = 0;
};

OPJ_SIZE_T stream_write(void* buffer, OPJ_SIZE_T n, void* user) {
    auto* s = static_cast<MemoryStream*>(user);
    if (s->pos + n > s->data.size()) s->data.resize(s->pos + n);
    std::memcpy(s->data.data() + s->pos, buffer, n);
    s->pos += n;
    return n;
}

OPJ_OFF_T stream_skip(OPJ_OFF_T n, void* user) {
    auto* s = static_cast<MemoryStream*>(user);
    if (n < 0 && static_cast<std::size_t>(-n) > s->pos) return -1;
    s->pos = static_cast<std::size_t>(static_cast<OPJ_OFF_T>(s->pos) + n);
    if (s->pos > s->data.size()) s->data.resize(s->pos);
    return n;
}

OPJ_BOOL stream_seek(OPJ_OFF_T pos, void* user) {
    auto* s = static_cast<MemoryStream*>(user);
    if (pos < 0) return OPJ_FALSE;
    s->pos = static_cast<std::size_t>(pos);
    if (s->pos > s->data.size()) s->data.resize(s->pos);
    return OPJ_TRUE;
}

struct ImageDeleter {
    void operator()(opj_image_t* p) const noexcept { opj_image_destroy(p); }
};
struct CodecDeleter {
    void operator()(opj_codec_t* p) const noexcept { opj_destroy_codec(p); }
};
struct StreamDeleter {
    void operator()(opj_stream_t* p) const noexcept { opj_stream_destroy(p); }
};

}  // namespace

Bytes render_text_png(std::string_view utf8) {
    const auto chars = decode_utf8(utf8);
    const unsigned w = std::max(1u, static_cast<unsigned>(chars.size()) * kGlyphWidth);
    return encode_png_1bit(w, kHeight, [&](unsigned x, unsigned y) {
        const char32_t c = chars[x / kGlyphWidth];
        const unsigned gx = x % kGlyphWidth;
        if (c == U' ' || c == U'\u3000') return false;
        if (c >= U'0' && c <= U'9') {
            // Digits: the 3×5 font scaled 2×, 1 px margin left, top.
            if (gx < 1 || gx >= 7 || y < 1 || y >= 11) return false;
            const unsigned fx = (gx - 1) / 2;
            const unsigned fy = (y - 1) / 2;
            const unsigned row = kDigits[static_cast<std::size_t>(c - U'0')][fy];
            return ((row >> (2u - fx)) & 1u) != 0;
        }
        // Everything else: a 6×10 box pattern seeded by the code point.
        if (gx < 1 || gx >= 7 || y < 1 || y >= 11) return false;
        const std::uint32_t bits = static_cast<std::uint32_t>(c) * 2654435761u;
        const unsigned cell = ((gx - 1) / 2) * 5 + (y - 1) / 2;  // 3×5 cells
        return gx == 1 || y == 1 || ((bits >> (cell % 32)) & 1u) != 0;
    });
}

Bytes render_photo_jp2(unsigned width, unsigned height, std::uint32_t seed) {
    opj_cparameters_t params;
    opj_set_default_encoder_parameters(&params);
    params.tcp_numlayers = 1;
    params.tcp_rates[0] = 6.0f;  // lossy; ~2 KB, the size class of a card photo
    params.cp_disto_alloc = 1;
    params.irreversible = 1;
    params.numresolution = 4;  // needs width and height ≥ 2^(4−1)

    opj_image_cmptparm_t cmpt;
    std::memset(&cmpt, 0, sizeof cmpt);
    cmpt.dx = 1;
    cmpt.dy = 1;
    cmpt.w = width;
    cmpt.h = height;
    cmpt.prec = 8;
    cmpt.sgnd = 0;
    std::unique_ptr<opj_image_t, ImageDeleter> image(opj_image_create(1, &cmpt, OPJ_CLRSPC_GRAY));
    if (!image) throw Error(Errc::internal, "opj_image_create failed");
    image->x0 = 0;
    image->y0 = 0;
    image->x1 = width;
    image->y1 = height;
    const int cx = static_cast<int>(width) / 2;
    const int head_cy = static_cast<int>(height) * 2 / 5;
    const int head_r = static_cast<int>(width) / 4;
    for (unsigned y = 0; y < height; ++y) {
        for (unsigned x = 0; x < width; ++x) {
            const int dx = static_cast<int>(x) - cx;
            const int dy = static_cast<int>(y) - head_cy;
            int v = 200 + static_cast<int>((x * 3 + y + seed) % 24);            // light background
            if (dx * dx + dy * dy <= head_r * head_r) v = 150 - (dx + dy) / 2;  // face
            if (static_cast<int>(y) > head_cy + head_r &&
                std::abs(dx) < head_r * 2 - (static_cast<int>(height) - static_cast<int>(y)) / 4)
                v = 60 + static_cast<int>(seed % 40);  // shoulders
            image->comps[0].data[y * width + x] = std::clamp(v, 0, 255);
        }
    }

    std::unique_ptr<opj_codec_t, CodecDeleter> codec(opj_create_compress(OPJ_CODEC_JP2));
    if (!codec || !opj_setup_encoder(codec.get(), &params, image.get()))
        throw Error(Errc::internal, "openjp2 encoder setup failed");

    MemoryStream sink;
    std::unique_ptr<opj_stream_t, StreamDeleter> stream(
        opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_FALSE));
    if (!stream) throw Error(Errc::internal, "opj_stream_create failed");
    opj_stream_set_user_data(stream.get(), &sink, nullptr);
    opj_stream_set_write_function(stream.get(), stream_write);
    opj_stream_set_skip_function(stream.get(), stream_skip);
    opj_stream_set_seek_function(stream.get(), stream_seek);

    if (!opj_start_compress(codec.get(), image.get(), stream.get()) ||
        !opj_encode(codec.get(), stream.get()) || !opj_end_compress(codec.get(), stream.get()))
        throw Error(Errc::internal, "openjp2 encoding failed");
    stream.reset();  // flushes the last buffered bytes into `sink`
    return std::move(sink.data);
}

}  // namespace mynacard::softcard::detail
