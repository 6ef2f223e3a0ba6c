#include "gui/common/jpeg2000.h"

#include <openjpeg.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace mynacard::gui {

namespace {

// A card photo is a few hundred pixels a side (card-facts.md §4.4); this
// bound keeps a hostile header from asking for gigabytes.
constexpr OPJ_UINT32 max_side = 4096;

// JP2 signature box and J2K SOC+SIZ markers (ISO/IEC 15444-1 annex I, A.4).
constexpr unsigned char jp2_signature[] = {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50,
                                           0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A};
constexpr unsigned char j2k_signature[] = {0xFF, 0x4F, 0xFF, 0x51};

struct Source {
    ByteView data;
    std::size_t pos = 0;
};

OPJ_SIZE_T read(void* buffer, OPJ_SIZE_T n, void* user) {
    auto* s = static_cast<Source*>(user);
    if (s->pos >= s->data.size()) return static_cast<OPJ_SIZE_T>(-1);  // end of stream
    const std::size_t take = std::min<std::size_t>(n, s->data.size() - s->pos);
    std::memcpy(buffer, s->data.data() + s->pos, take);
    s->pos += take;
    return take;
}

OPJ_OFF_T skip(OPJ_OFF_T n, void* user) {
    auto* s = static_cast<Source*>(user);
    if (n < 0) return -1;
    const std::size_t step =
        std::min<std::size_t>(static_cast<std::size_t>(n), s->data.size() - s->pos);
    s->pos += step;
    return static_cast<OPJ_OFF_T>(step);
}

OPJ_BOOL seek(OPJ_OFF_T pos, void* user) {
    auto* s = static_cast<Source*>(user);
    if (pos < 0 || static_cast<std::size_t>(pos) > s->data.size()) return OPJ_FALSE;
    s->pos = static_cast<std::size_t>(pos);
    return OPJ_TRUE;
}

struct CodecDeleter {
    void operator()(opj_codec_t* p) const noexcept { opj_destroy_codec(p); }
};
struct StreamDeleter {
    void operator()(opj_stream_t* p) const noexcept { opj_stream_destroy(p); }
};
struct ImageDeleter {
    void operator()(opj_image_t* p) const noexcept { opj_image_destroy(p); }
};

// A component sample scaled to 8 bits.
[[nodiscard]] uchar sample(const opj_image_comp_t& c, std::size_t i) {
    OPJ_INT32 v = c.data[i];
    if (c.sgnd) v += 1 << (c.prec - 1);
    v = std::clamp(v, 0, (1 << c.prec) - 1);
    return static_cast<uchar>(c.prec > 8 ? v >> (c.prec - 8) : v << (8 - c.prec));
}

}  // namespace

QImage decode_jpeg2000(ByteView data) {
    OPJ_CODEC_FORMAT format;
    if (data.size() >= sizeof jp2_signature &&
        std::memcmp(data.data(), jp2_signature, sizeof jp2_signature) == 0)
        format = OPJ_CODEC_JP2;
    else if (data.size() >= sizeof j2k_signature &&
             std::memcmp(data.data(), j2k_signature, sizeof j2k_signature) == 0)
        format = OPJ_CODEC_J2K;
    else
        return {};

    Source source{data};
    std::unique_ptr<opj_stream_t, StreamDeleter> stream(
        opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_TRUE));
    if (!stream) return {};
    opj_stream_set_user_data(stream.get(), &source, nullptr);
    opj_stream_set_user_data_length(stream.get(), data.size());
    opj_stream_set_read_function(stream.get(), read);
    opj_stream_set_skip_function(stream.get(), skip);
    opj_stream_set_seek_function(stream.get(), seek);

    std::unique_ptr<opj_codec_t, CodecDeleter> codec(opj_create_decompress(format));
    if (!codec) return {};
    opj_dparameters_t params;
    opj_set_default_decoder_parameters(&params);
    if (!opj_setup_decoder(codec.get(), &params)) return {};

    opj_image_t* raw = nullptr;
    if (!opj_read_header(stream.get(), codec.get(), &raw)) {
        if (raw != nullptr) opj_image_destroy(raw);
        return {};
    }
    std::unique_ptr<opj_image_t, ImageDeleter> image(raw);
    if (image->numcomps != 1 && image->numcomps != 3) return {};
    if (image->x1 <= image->x0 || image->y1 <= image->y0) return {};
    if (image->x1 - image->x0 > max_side || image->y1 - image->y0 > max_side) return {};
    if (!opj_decode(codec.get(), stream.get(), image.get()) ||
        !opj_end_decompress(codec.get(), stream.get()))
        return {};

    const auto& first = image->comps[0];
    const OPJ_UINT32 w = first.w, h = first.h;
    if (w == 0 || h == 0 || w > max_side || h > max_side) return {};
    for (OPJ_UINT32 i = 0; i < image->numcomps; ++i) {
        const auto& c = image->comps[i];
        // Subsampled chroma or odd precisions are not what a card holds.
        if (c.w != w || c.h != h || c.data == nullptr || c.prec < 1 || c.prec > 16) return {};
    }
    const bool grey = image->numcomps == 1;
    QImage out(static_cast<int>(w), static_cast<int>(h),
               grey ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
    if (out.isNull()) return {};
    for (OPJ_UINT32 y = 0; y < h; ++y) {
        uchar* line = out.scanLine(static_cast<int>(y));
        for (OPJ_UINT32 x = 0; x < w; ++x) {
            const std::size_t i = static_cast<std::size_t>(y) * w + x;
            if (grey) {
                line[x] = sample(image->comps[0], i);
            } else {
                for (std::size_t k = 0; k < 3; ++k) line[3 * x + k] = sample(image->comps[k], i);
            }
        }
    }
    return out;
}

}  // namespace mynacard::gui
